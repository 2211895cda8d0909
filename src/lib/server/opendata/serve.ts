/**
 * A stored bulk file as an HTTP answer: its type, a download name, validators for conditional
 * requests, and byte ranges (a harvester resuming a download of hundreds of megabytes). The body
 * is streamed from the stored pieces, a piece at a time, never the whole file in memory.
 */
import type { Pool } from '../db';
import { exportFile, exportPieces, type ExportFile, type ExportName } from './exports';
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

/**
 * The one byte range asked for (RFC 9110 §14): `[from, to]`, 'unsatisfiable' when it starts past
 * the end, or null for the whole file — no Range, one we do not serve (several ranges, not bytes,
 * malformed), or an If-Range naming another version (a strong ETag or the exact Last-Modified).
 */
export function requestedRange(file: ExportFile, request: Request): [number, number] | 'unsatisfiable' | null {
	const range = request.headers.get('range');
	if (range === null) return null;
	const ifRange = request.headers.get('if-range')?.trim();
	if (ifRange !== undefined) {
		const current = ifRange.startsWith('"') || ifRange.startsWith('W/') ? ifRange === `"${file.sha256}"` : Date.parse(ifRange) === Math.floor(file.generatedAt.getTime() / 1000) * 1000;
		if (!current) return null;
	}
	const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(range);
	if (!match || (match[1] === '' && match[2] === '')) return null;
	const size = file.bytes;
	if (match[1] === '') {
		const suffix = Number(match[2]);
		return suffix === 0 ? 'unsatisfiable' : [Math.max(0, size - suffix), size - 1];
	}
	const from = Number(match[1]);
	const to = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	if (match[2] !== '' && Number(match[2]) < from) return null;
	return from >= size ? 'unsatisfiable' : [from, to];
}

/** Pieces as a response body, read one at a time as the client takes them. */
function bodyOf(pieces: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const next = await pieces.next();
			if (next.done) controller.close();
			else controller.enqueue(next.value);
		},
		async cancel() {
			await pieces.return(undefined);
		}
	});
}

const preparingAnswer = (text: string) => new Response(text, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30', 'cache-control': 'no-store' } });

/**
 * Serve the stored file `name`: read its digest first (a conditional request needs no content),
 * then stream its bytes (or the range asked for). None stored yet (a first start still making
 * them): `makeNow`, then read again; still none is a 503 with Retry-After.
 */
export async function serveExport(db: Pool, name: ExportName, request: Request, makeNow: () => Promise<void>, preparing: string): Promise<Response> {
	let file = await exportFile(db, name);
	if (!file) {
		await makeNow();
		file = await exportFile(db, name);
	}
	if (!file) return preparingAnswer(preparing);
	// The secretariat's licence, the one the file itself states (a change regenerates the file).
	const licenceUrl = (await directoryLicence(db)).url.ja;
	if (clientHasExport(file, request)) return new Response(null, { status: 304, headers: validators(file, licenceUrl) });
	const range = requestedRange(file, request);
	if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...validators(file, licenceUrl), 'content-range': `bytes */${file.bytes}` } });
	const headers = {
		...validators(file, licenceUrl),
		'content-type': file.mediaType === 'application/json' ? 'application/json; charset=utf-8' : file.mediaType,
		'content-disposition': `attachment; filename="${file.name}"`,
		'accept-ranges': 'bytes'
	};
	if (range === null) return new Response(bodyOf(exportPieces(db, file)), { headers: { ...headers, 'content-length': String(file.bytes) } });
	const [from, to] = range;
	return new Response(bodyOf(exportPieces(db, file, from, to)), { status: 206, headers: { ...headers, 'content-range': `bytes ${from}-${to}/${file.bytes}`, 'content-length': String(to - from + 1) } });
}
