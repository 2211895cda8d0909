/**
 * `kill -9` of the app during writes, then start again: every committed write is still there,
 * and the embedded server the killed app left running does not block the new start.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { like } from 'drizzle-orm';
import { openDatabase } from '../../src/lib/server/db';
import { organizations } from '../../src/lib/server/directory/schema';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tsunagu-durability-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('keeps every acknowledged write after kill -9 and restarts over the orphaned server', async () => {
	const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/writer.ts', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
	const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
	const acknowledged: string[] = [];
	await new Promise<void>((resolve, reject) => {
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			const lines = buffer.split('\n');
			buffer = lines.pop()!;
			for (const line of lines) if (line.startsWith('committed ')) acknowledged.push(line.slice(10));
			if (acknowledged.length >= 200) {
				child.kill('SIGKILL');
				resolve();
			}
		});
		child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited early: ${code}`))));
	});
	expect(await exited).toBe('SIGKILL');

	const database = await openDatabase({ dataDir });
	try {
		const rows = await database.db.select({ slug: organizations.slug }).from(organizations).where(like(organizations.slug, 'durable-%'));
		const stored = new Set(rows.map((r) => r.slug));
		expect(acknowledged.length).toBeGreaterThanOrEqual(200);
		for (const slug of acknowledged) expect(stored.has(slug), slug).toBe(true);
	} finally {
		await database.close();
	}
}, 120_000);
