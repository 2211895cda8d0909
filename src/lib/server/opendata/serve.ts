/** A stored bulk file as an HTTP answer: its type, a download name, and validators for conditional requests. */
import type { Pool } from '../db';
import { exportFile, type ExportFile, type ExportName } from './exports';
import { directoryLicence } from './licence';

function validators(file: ExportFile, licenceUrl: string): Record<string, string> {
	return {
		etag: `"${file.sha256}"`,
		'last-modified': file.generatedAt.toUTCString(),
		// Revalidate every time: a regeneration changes the file under the same name.
		'cache-control': 'public, no-cache',
		'access-control-allow-origin': '*',
		link: `<${licenceUrl}>; rel="license"`
	};
}

/** Whether the client's copy is current: its ETag (If-None-Match wins), else its date (If-Modified-Since). */
export function clientHasExport(file: ExportFile, request: Request): boolean {
	const etag = `"${file.sha256}"`;
	const ifNoneMatch = request.headers.get('if-none-match');
	if (ifNoneMatch !== null) return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag);
	const since = Date.parse(request.headers.get('if-modified-since') ?? '');
	return !Number.isNaN(since) && Math.floor(file.generatedAt.getTime() / 1000) <= Math.floor(since / 1000);
}

const preparingAnswer = (text: string) => new Response(text, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30', 'cache-control': 'no-store' } });

/**
 * Serve the stored file `name`: read its digest first (a conditional request needs no content),
 * then its bytes. None stored yet (a first start still making them): `makeNow`, then read again;
 * still none is a 503 with Retry-After.
 */
export async function serveExport(db: Pool, name: ExportName, request: Request, makeNow: () => Promise<void>, preparing: string): Promise<Response> {
	let file = await exportFile(db, name, false);
	if (!file) {
		await makeNow();
		file = await exportFile(db, name, false);
	}
	if (!file) return preparingAnswer(preparing);
	// The secretariat's licence, the one the file itself states (a change regenerates the file).
	const licenceUrl = (await directoryLicence(db)).url.ja;
	if (clientHasExport(file, request)) return new Response(null, { status: 304, headers: validators(file, licenceUrl) });
	const full = await exportFile(db, name, true);
	if (!full?.content) return preparingAnswer(preparing);
	const type = full.mediaType === 'application/json' ? 'application/json; charset=utf-8' : full.mediaType;
	return new Response(new Uint8Array(full.content), {
		headers: { ...validators(full, licenceUrl), 'content-type': type, 'content-length': String(full.content.length), 'content-disposition': `attachment; filename="${full.name}"` }
	});
}
