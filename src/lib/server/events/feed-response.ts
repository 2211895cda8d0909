/** HTTP answers for the .ics routes: the calendar type, a file name, a short cache. */
export function icsResponse(body: string, filename: string): Response {
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': `inline; filename="${filename}"`,
			'cache-control': 'public, max-age=300'
		}
	});
}

export function jsonError(status: number, code: string, message: string, details?: unknown): Response {
	return new Response(JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } }), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}
