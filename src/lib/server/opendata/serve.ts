/** A stored bulk file as an HTTP answer: its type, a download name, and validators for conditional requests. */
import type { Db } from '../db';
import { exportFile, type ExportFile, type ExportName } from './exports';
import { HSDS_LICENCE } from './hsds';

/** The answer to a GET of `file`: 304 when the client's copy is current (ETag or date), else the bytes. */
export function exportResponse(file: ExportFile & { content?: Buffer }, request: Request, licenceUrl: string): Response {
	const etag = `"${file.sha256}"`;
	const headers: Record<string, string> = {
		etag,
		'last-modified': file.generatedAt.toUTCString(),
		// Revalidate every time: a regeneration changes the file under the same name.
		'cache-control': 'public, no-cache',
		'access-control-allow-origin': '*',
		link: `<${licenceUrl}>; rel="license"`
	};
	const ifNoneMatch = request.headers.get('if-none-match');
	const ifModifiedSince = request.headers.get('if-modified-since');
	const current = ifNoneMatch !== null ? ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*') : ifModifiedSince !== null && Math.floor(file.generatedAt.getTime() / 1000) <= Math.floor(Date.parse(ifModifiedSince) / 1000);
	if (current) return new Response(null, { status: 304, headers });
	if (!file.content) throw new Error('exportResponse: the file was read without its content');
	const type = file.mediaType === 'application/json' ? 'application/json; charset=utf-8' : file.mediaType;
	return new Response(new Uint8Array(file.content), {
		headers: { ...headers, 'content-type': type, 'content-length': String(file.content.length), 'content-disposition': `attachment; filename="${file.name}"` }
	});
}

/**
 * Serve the stored file `name`: read its digest first (a conditional request needs no content),
 * then its bytes. None stored yet (a first start still making them): `makeNow`, then read again;
 * still none is a 503 with Retry-After.
 */
export async function serveExport(db: Db, name: ExportName, request: Request, makeNow: () => Promise<void>, preparing: string): Promise<Response> {
	const licence = HSDS_LICENCE.url;
	let file = await exportFile(db, name, false);
	if (!file) {
		await makeNow();
		file = await exportFile(db, name, false);
	}
	if (!file) return new Response(preparing, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30', 'cache-control': 'no-store' } });
	const answer = exportResponse(file, request, licence);
	if (answer.status === 304) return answer;
	const full = await exportFile(db, name, true);
	return full ? exportResponse(full, request, licence) : new Response(preparing, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30', 'cache-control': 'no-store' } });
}
