/**
 * `npm run gen:scale [-- --programs 100000 --orgs 20000 --locations 150000 --seed 1]`: build the
 * synthetic national region (bench/generate.ts) for benchmarks. Replaces any directory data in
 * the target database.
 *
 * Target: DATABASE_URL (an external server; the database is created if missing), or else the
 * embedded server in DATA_DIR (default data/scale), database `tsunagu_scale` — never ./data.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { createDatabaseIfMissing, databaseNameOf, openDatabase, withDatabase, withDefaultUser } from '../src/lib/server/db';
import { generateRegion, sizesFor } from '../bench/generate';

const { values } = parseArgs({
	options: {
		programs: { type: 'string' },
		orgs: { type: 'string' },
		locations: { type: 'string' },
		seed: { type: 'string', default: '1' }
	}
});
const count = (v: string | undefined, name: string) => {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
	return n;
};
const sizes = sizesFor({ programs: count(values.programs, 'programs'), organizations: count(values.orgs, 'orgs'), locations: count(values.locations, 'locations') });
const seed = Number(values.seed);

const databaseUrl = process.env.DATABASE_URL || undefined;
if (databaseUrl) {
	const url = withDefaultUser(databaseUrl);
	await createDatabaseIfMissing(withDatabase(url, 'postgres'), databaseNameOf(url));
}
const dataDir = path.resolve(process.env.DATA_DIR ?? 'data/scale');
const database = await openDatabase({ databaseUrl, dataDir, databaseName: 'tsunagu_scale' });
const target = databaseUrl ? `${databaseNameOf(database.adminUrl)} on ${new URL(database.adminUrl).host}` : `tsunagu_scale in the embedded server in ${path.relative(process.cwd(), dataDir) || dataDir}`;
console.log(`gen:scale: ${sizes.organizations} organisations, ${sizes.programs} programs, ${sizes.locations} locations (seed ${seed}) into ${target}`);
// Bulk replacement runs as the owner of the tables: the app role may not TRUNCATE or ANALYZE.
const ownerPool = new pg.Pool({ connectionString: database.adminUrl, max: 2 });
try {
	const report = await generateRegion(drizzle(ownerPool), sizes, seed, { log: (line) => console.log(line) });
	console.log(
		`gen:scale: done in ${report.seconds.total} s — ${Object.entries(report.counts)
			.map(([k, v]) => `${k} ${v}`)
			.join(', ')}`
	);
	console.log(`gen:scale: seconds ${JSON.stringify(report.seconds)}`);
} finally {
	await ownerPool.end();
	await database.close();
}
