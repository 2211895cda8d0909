/** HTTP answers for the .ics routes: the calendar type, a file name, a short cache (errors: api/respond's apiError). */
export function icsResponse(body: string, filename: string): Response {
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': `inline; filename="${filename}"`,
			'cache-control': 'public, max-age=300'
		}
	});
}
