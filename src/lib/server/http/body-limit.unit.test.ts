import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../imports/read-file';
import { DEFAULT_BODY_SIZE_BYTES, readFormWithin } from './body-limit';

const request = (body: BodyInit | ReadableStream, headers: Record<string, string> = {}) => new Request('http://127.0.0.1/x', { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

describe('readFormWithin (a form with a file checks its own limit before parsing)', () => {
	it('reads a form within the limit', async () => {
		const r = await readFormWithin(request('kind=programs', { 'content-type': 'application/x-www-form-urlencoded' }), 100);
		expect(r.ok && r.form.get('kind')).toBe('programs');
	});

	it('refuses a declared length over the limit without reading a byte', async () => {
		let pulled = false;
		const body = new ReadableStream({ pull: () => void (pulled = true) }, { highWaterMark: 0 });
		expect(await readFormWithin(request(body, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '101' }), 100)).toEqual({ ok: false, reason: 'too_large' });
		expect(pulled).toBe(false);
	});

	it('refuses a body the server stopped at its own limit, and lets other failures through', async () => {
		const failing = (error: unknown) => request(new ReadableStream({ start: (c) => c.error(error) }), { 'content-type': 'application/x-www-form-urlencoded' });
		expect(await readFormWithin(failing(Object.assign(new Error('Payload Too Large'), { status: 413 })), 100)).toEqual({ ok: false, reason: 'too_large' });
		await expect(readFormWithin(failing(new Error('reset')), 100)).rejects.toThrow();
	});

	it('keeps the spreadsheet upload’s limit below the server’s default, so its own words answer first', () => {
		expect(MAX_UPLOAD_BYTES).toBeLessThan(DEFAULT_BODY_SIZE_BYTES);
	});
});
