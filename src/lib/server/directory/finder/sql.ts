import { sql, type SQL } from 'drizzle-orm';

/** A text[] literal built from bound parameters (drizzle would expand a bare JS array into a list). */
export function textArray(values: string[]): SQL {
	return values.length
		? sql`array[${sql.join(
				values.map((v) => sql`${v}`),
				sql`, `
			)}]::text[]`
		: sql`'{}'::text[]`;
}
