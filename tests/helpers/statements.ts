/**
 * How many SQL statements a piece of code sends, counted where every statement goes: node-postgres'
 * `Client.prototype.query` (a pool's `query` and a transaction's BEGIN, statements and COMMIT
 * all pass through a client). Counts every client of the process while `fn` runs, so run nothing
 * else beside it.
 */
import pg from 'pg';

export async function countStatements<T>(fn: () => Promise<T>): Promise<{ value: T; count: number; texts: string[] }> {
	const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
	const original = proto.query;
	const texts: string[] = [];
	proto.query = function (this: unknown, ...args: unknown[]) {
		const first = args[0] as string | { text?: string };
		texts.push(typeof first === 'string' ? first : (first?.text ?? ''));
		return original.apply(this, args);
	};
	try {
		const value = await fn();
		return { value, count: texts.length, texts };
	} finally {
		proto.query = original;
	}
}
