/**
 * `npm run audit:verify [-- --json]`: prove the audit log's hash chain. Opens the database the way
 * the app does (DATABASE_URL, DATABASE_APP_URL, or the embedded server in DATA_DIR, default
 * ./data; the demo region is never loaded), recomputes every row's hash and checks the links and
 * the head. Exit 0 when the chain is intact, 1 with the first broken row when it is not, 2 when
 * the check could not run. The head's id and hash are printed: kept elsewhere, they also reveal a
 * rewrite of the whole chain.
 */
import type { ToolDatabase } from './database';
import { parseArgs } from 'node:util';

// Start-up chatter (server started, migrations) would bury the answer.
process.env.LOG_LEVEL ??= 'warn';
const { openToolDatabase } = await import('./database');
const { verifyAuditChain } = await import('../src/lib/server/audit/verify');

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });

const EXPLAIN = {
	hash_mismatch: "the row's fields no longer match its hash (the row was edited)",
	link_broken: 'the row does not follow the row before it (a row before it was deleted, inserted or rewritten)',
	head_mismatch: 'the chain head does not name the last row (rows at the end were deleted, or the head was edited)',
	head_missing: 'the chain head (audit_chain) is missing'
} as const;

let database: ToolDatabase | undefined;
let code = 2;
try {
	database = await openToolDatabase();
	const report = await verifyAuditChain(database.db);
	code = report.ok ? 0 : 1;
	if (values.json) console.log(JSON.stringify(report));
	else if (report.ok) console.log(`audit:verify: intact — ${report.checked} rows checked; head: row ${report.head!.lastId}, hash ${report.head!.lastHash}`);
	else console.log(`audit:verify: BROKEN at row ${report.firstBrokenId}: ${EXPLAIN[report.reason!]} (${report.reason}); ${report.checked} rows before it are intact`);
} catch (error) {
	const message = (error as Error).message;
	console.error(`audit:verify: could not check the audit log: ${message}`);
	if (/in use by another running tsunagu process/.test(message)) {
		console.error('audit:verify: the app is running on this data directory; stop it first, or point DATABASE_URL at its server.');
	}
} finally {
	await database?.close().catch(() => undefined);
}
process.exit(code);
