/** The local outbox (no SMTP_URL): messages are private, the folders above them are not made private. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { sendMail } from './mail';

const root = mkdtempSync(path.join(tmpdir(), 'tsunagu-mail-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('keeps the outbox private but leaves the data folder it makes above it traversable', async () => {
	// As DATA_DIR=data/… does: data/outbox written before the database's folder data/pg exists.
	// The embedded server runs as another user when the app runs as root, and must reach data/pg.
	const outbox = path.join(root, 'data', 'outbox');
	const saved = { OUTBOX_DIR: process.env.OUTBOX_DIR, SMTP_URL: process.env.SMTP_URL };
	process.env.OUTBOX_DIR = outbox;
	delete process.env.SMTP_URL;
	try {
		await sendMail({ to: 'a@example.org', subject: '件名', text: '本文' });
	} finally {
		for (const [key, value] of Object.entries(saved))
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
	}
	expect(readdirSync(outbox).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
	expect(statSync(outbox).mode & 0o777).toBe(0o700);
	expect(statSync(path.join(root, 'data')).mode & 0o011).toBe(0o011);
});
