/**
 * `npm run keys:rotate [-- --new-master-key]`: re-encrypt every encrypted value with a new data key
 * and delete the old data keys (src/lib/server/crypto/rotate.ts). Safe to run again: a run that
 * stopped half-way is finished by the next one.
 *
 * `--new-master-key` also replaces the master key file: the old file becomes `<file>.previous`, a
 * new one is written, the data keys are re-wrapped with it, and `<file>.previous` is deleted at the
 * end. (With TSUNAGU_MASTER_KEY, set TSUNAGU_MASTER_KEY_PREVIOUS to the old value and
 * TSUNAGU_MASTER_KEY to a new one instead, and run without the flag.)
 *
 * Opens the database the way the app does (DATABASE_URL, DATABASE_APP_URL, or the embedded server
 * in DATA_DIR, default ./data); the demo region is never loaded. Exit 0 when done, 1 otherwise.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import type { ToolDatabase } from './database';
import { parseArgs } from 'node:util';

// Start-up chatter (server started, migrations) would bury the report.
process.env.LOG_LEVEL ??= 'warn';
const { openToolDatabase } = await import('./database');
const { createMasterKeyFile, masterKeyFile, previousKeyFile, rotateKeys } = await import('../src/lib/server/crypto');

const { values } = parseArgs({ options: { 'new-master-key': { type: 'boolean', default: false } } });
const env = process.env;
const file = masterKeyFile(env);
const previous = previousKeyFile(file);
const say = (line: string) => console.log(`keys:rotate: ${line}`);
const fail = (line: string) => {
	console.error(`keys:rotate: ${line}`);
	process.exit(1);
};

if (values['new-master-key']) {
	if (env.TSUNAGU_MASTER_KEY) {
		fail('the master key comes from TSUNAGU_MASTER_KEY, not a file. To replace it, set TSUNAGU_MASTER_KEY_PREVIOUS to the old value and TSUNAGU_MASTER_KEY to a new one (openssl rand -base64 32), then run keys:rotate without --new-master-key.');
	}
	if (!existsSync(file)) fail(`there is no master key file at ${file} to replace.`);
	if (existsSync(previous)) fail(`${previous} exists: an earlier master-key change did not finish. Run keys:rotate without --new-master-key to finish it.`);
}

let database: ToolDatabase | undefined;
let code = 1;
try {
	database = await openToolDatabase();
	if (values['new-master-key']) {
		renameSync(file, previous);
		const created = createMasterKeyFile(file);
		say(`new master key ${created.id} in ${file}; the old one stays in ${previous} until the data keys are re-wrapped`);
	}
	const report = await rotateKeys(database.db, {
		onProgress: ({ column, reencrypted }) => say(`  ${column}: ${reencrypted} so far`)
	});
	say(report.resumed ? `finished an earlier rotation with data key ${report.activeKeyId}` : `new data key ${report.activeKeyId}`);
	say(`  data keys re-wrapped with the current master key: ${report.rewrapped}`);
	for (const [column, n] of Object.entries(report.reencrypted)) say(`  ${column}: ${n} value(s) re-encrypted`);
	say(`  old data keys deleted: ${report.removed.length ? report.removed.join(', ') : 'none'}`);
	for (const [column, n] of Object.entries(report.unsealed)) {
		if (n) say(`  WARNING ${column}: ${n} value(s) are not encrypted at all (a module stores them in clear)`);
	}
	if (existsSync(previous) && !env.TSUNAGU_MASTER_KEY) {
		rmSync(previous);
		say(`every data key is wrapped by the master key in ${file} now; ${previous} was deleted.`);
		say(`BACK UP ${file} NOW. Database backups made before this run still need the old master key: keep your saved copy of it with them.`);
	} else if (env.TSUNAGU_MASTER_KEY_PREVIOUS) {
		say('every data key is wrapped by TSUNAGU_MASTER_KEY now; remove TSUNAGU_MASTER_KEY_PREVIOUS from the environment (database backups made before this run still need it).');
	}
	if (report.failed.length) {
		say(`${report.failed.length} value(s) could not be decrypted and were left as they are:`);
		for (const f of report.failed) say(`  ${f.column} row ${f.rowId}: ${f.reason}`);
		say(`their data key${report.kept.length > 1 ? 's' : ''} (${report.kept.join(', ')}) stay${report.kept.length > 1 ? '' : 's'}; repair or clear those values, then run keys:rotate again.`);
	} else {
		if (report.kept.length) say(`data key(s) ${report.kept.join(', ')} were used by writes during this run; run keys:rotate again to finish.`);
		code = 0;
	}
} catch (error) {
	const message = (error as Error).message;
	console.error(`keys:rotate failed: ${message}`);
	if (/in use by another running tsunagu process/.test(message)) {
		console.error('keys:rotate: the app is running on this data directory; stop it first, or point DATABASE_URL at its server.');
	}
	if (existsSync(previous) && !env.TSUNAGU_MASTER_KEY) {
		console.error(`keys:rotate: both master keys are kept (${file} and ${previous}); run keys:rotate again to finish.`);
	}
} finally {
	await database?.close().catch(() => undefined);
}
process.exit(code);
