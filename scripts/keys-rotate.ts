/**
 * `npm run keys:rotate`: re-encrypt every encrypted value with a new data key (see
 * src/lib/server/crypto/rotate.ts). With `--new-master-key`, first moves the current master key
 * file to `<file>.previous` and writes a new one; the data keys are re-wrapped with it, and the
 * `.previous` file can be deleted after the run (the script says when).
 * The database is the app's: DATABASE_URL, or the embedded server in DATA_DIR.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/lib/server/db';
import { createMasterKeyFile } from '../src/lib/server/crypto/keys';
import { masterKeyFile, rotateKeys } from '../src/lib/server/crypto';

const newMaster = process.argv.includes('--new-master-key');
const env = process.env;
if (newMaster && env.TSUNAGU_MASTER_KEY) {
	console.error('keys:rotate: the master key comes from TSUNAGU_MASTER_KEY; to replace it, set TSUNAGU_MASTER_KEY_PREVIOUS to the old value and TSUNAGU_MASTER_KEY to a new one, then run keys:rotate without --new-master-key.');
	process.exit(1);
}
const file = masterKeyFile(env);
if (newMaster) {
	if (!existsSync(file)) {
		console.error(`keys:rotate: no master key file at ${file}`);
		process.exit(1);
	}
	if (existsSync(file + '.previous')) {
		console.error(`keys:rotate: ${file}.previous exists: a master-key rotation did not finish. Run keys:rotate (without --new-master-key) to finish it.`);
		process.exit(1);
	}
	renameSync(file, file + '.previous');
	createMasterKeyFile(file);
	console.log(`keys:rotate: new master key in ${file}; the old one is in ${file}.previous until this run finishes`);
}

const database = await openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: path.resolve(env.DATA_DIR || 'data'), poolSize: 2 });
try {
	const report = await rotateKeys(database.db);
	console.log(`keys:rotate: new data key ${report.newKeyId}`);
	for (const [column, n] of Object.entries(report.reencrypted)) console.log(`  ${column}: ${n} value(s) re-encrypted`);
	console.log(`  data keys re-wrapped with the current master key: ${report.rewrapped}`);
	console.log(`  old data keys removed: ${report.retired.length ? report.retired.join(', ') : 'none'}`);
	if (existsSync(file + '.previous') && !env.TSUNAGU_MASTER_KEY) {
		rmSync(file + '.previous');
		console.log(`keys:rotate: every data key is now wrapped by the new master key; ${file}.previous was removed. Back up ${file} now.`);
	}
} catch (error) {
	console.error(`keys:rotate failed: ${(error as Error).message}`);
	process.exitCode = 1;
} finally {
	await database.close();
}
