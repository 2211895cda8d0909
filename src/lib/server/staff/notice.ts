/**
 * The one-line notice after a staff form redirects (`?done=saved`). Only known words pass, so a
 * hand-made link cannot make the page show a missing message.
 */
const NOTICES = ['saved', 'unplaced', 'published', 'unpublished', 'attendanceShown', 'attendanceHidden'] as const;
export type Notice = (typeof NOTICES)[number];

export function noticeOf(url: URL): Notice | null {
	const done = url.searchParams.get('done');
	return (NOTICES as readonly string[]).includes(done ?? '') ? (done as Notice) : null;
}
