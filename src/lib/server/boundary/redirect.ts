/**
 * Where a redirect may go when the request names it (`next=`, `back=`): a path on this site.
 * The target is parsed the way a browser would, against our own origin, so a value the URL parser
 * rewrites into another host (`/\t/evil.example`, `/\evil.example`, `//evil.example`) is refused.
 */
const OWN = 'http://tsunagu.invalid';
/** C0 controls and DEL: the URL parser drops tab, CR and LF silently; none belongs in a path. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_LENGTH = 500;

export function sameSiteTarget(value: unknown, fallback: string): string {
	if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
	if (!value.startsWith('/') || value.includes('\\') || CONTROL.test(value)) return fallback;
	let url: URL;
	try {
		url = new URL(value, OWN);
	} catch {
		return fallback;
	}
	if (url.origin !== OWN) return fallback;
	// The parser's own serialisation: percent-encoded, so always a valid (ASCII) Location header.
	return url.pathname + url.search + url.hash;
}
