/**
 * Rows a statement returns as JSON (`json_agg(t order by …)` in a sub-select), read back into the
 * same objects a drizzle select of the table gives: keys by the table's property names, values
 * through each column's own driver mapping (timestamps to Date, arrays, integers). One statement
 * can then read a record and its lists, where separate selects cost a round trip each.
 */
import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

export function rowsFromJson<T extends Table>(table: T, json: unknown): Array<InferSelectModel<T>> {
	if (json === null || json === undefined) return [];
	const rows = (typeof json === 'string' ? JSON.parse(json) : json) as Array<Record<string, unknown>>;
	const columns = Object.entries(getTableColumns(table));
	return rows.map(
		(row) =>
			Object.fromEntries(
				columns.map(([key, column]) => {
					const value = row[column.name];
					return [key, value === null || value === undefined ? null : column.mapFromDriverValue(value)];
				})
			) as InferSelectModel<T>
	);
}
