/**
 * Child process for the durability test: opens the embedded database in the folder given and
 * inserts organisations one by one, printing each slug only after its commit returned.
 */
import { openDatabase } from '../../src/lib/server/db';
import { organizations } from '../../src/lib/server/directory/schema';
import { setUp } from './contexts';

const database = await openDatabase({ dataDir: process.argv[2] });
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
	const slug = `durable-${i}`;
	await setUp(database.db, (tx) => tx.insert(organizations).values({ slug, name: `耐久テスト${i}`, legalForm: null, description: 'kill -9 test' }));
	process.stdout.write(`committed ${slug}\n`);
}
