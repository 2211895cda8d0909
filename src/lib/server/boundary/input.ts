/**
 * Input every route gets only after it passed here (hooks.server.ts): no control characters in
 * query parameters, path segments, form fields or JSON strings, and form posts whose body really is
 * a form. PostgreSQL refuses NUL in text, and a body SvelteKit cannot read as a form throws inside
 * the action: both used to surface as 500s. A body over the server's size limit is not a malformed
 * one: an endpoint's is refused here as too large; a page's goes on to its route, which answers in
 * the page's own words (a form with a file checks its own limit first, staff/import-page.ts) or,
 * reading it, gets SvelteKit's 413 (hooks' handleError words it).
 */
import { isBodyTooLarge } from '../http';

/** C0 controls and DEL, except tab, line feed and carriage return (typed into text areas). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export type InputRefusal = { code: 'control_character' | 'undecodable'; param: string } | { code: 'unreadable_form' | 'too_large'; param?: undefined };

/**
 * The first query parameter whose percent-encoding is not UTF-8 (a link from a page in Shift_JIS):
 * URLSearchParams would read it as U+FFFD and the route would act on 「��」.
 */
function firstUndecodable(search: string): string | null {
	// A % not followed by two hex digits is a plain % (「100%」 typed into the address bar), as URLSearchParams reads it.
	const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' ').replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
	for (const pair of search.replace(/^\?/, '').split('&')) {
		const [name, value = ''] = pair.split(/=(.*)/s);
		try {
			decode(name);
			decode(value);
		} catch {
			try {
				return decode(name);
			} catch {
				return '?';
			}
		}
	}
	return null;
}

export function hasControlCharacter(value: string): boolean {
	return CONTROL.test(value);
}

const CONTROLS = new RegExp(CONTROL.source, 'g');

/** The text with each control character (as above) replaced by a space: for text a route must accept as sent. */
export function spaceForControlCharacters(value: string): string {
	return value.replace(CONTROLS, ' ');
}

/**
 * Endpoints whose body is another platform's signed delivery (route ids). The route checks the
 * signature over the raw bytes and cleans what it keeps; refusing the body here would answer the
 * platform with a 400 it retries, and the person's message would never arrive (LINE redelivers,
 * then drops it). Their query and path are checked like every other route's.
 */
export const SIGNED_BODY_ENDPOINTS: ReadonlySet<string> = new Set(['/api/v1/line/webhook']);

function firstBadEntry(entries: Iterable<[string, unknown]>): string | null {
	for (const [name, value] of entries) {
		if (hasControlCharacter(name)) return name.replace(CONTROL, '?');
		if (typeof value === 'string' && hasControlCharacter(value)) return name;
		if (typeof value === 'object' && value !== null && 'name' in value && typeof value.name === 'string' && hasControlCharacter(value.name)) return name;
	}
	return null;
}

/** The first string inside a JSON value holding a control character, as a dotted path. */
function badJsonPath(value: unknown, at: string, depth = 0): string | null {
	if (typeof value === 'string') return hasControlCharacter(value) ? at || '(body)' : null;
	if (depth > 20 || typeof value !== 'object' || value === null) return null;
	for (const [key, inner] of Object.entries(value)) {
		const path = at ? `${at}.${key}` : key;
		if (hasControlCharacter(key)) return path.replace(CONTROL, '?');
		const found = badJsonPath(inner, path, depth + 1);
		if (found) return found;
	}
	return null;
}

export function mediaType(request: Request): string {
	return request.headers.get('content-type')?.split(';')[0].trim().toLowerCase() ?? '';
}

const FORMS = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * Why this request must be refused before any route code runs, or null. `endpoint`: the route is
 * a +server.ts (reads JSON itself); otherwise a page, whose POSTs are form actions. `signedBody`:
 * one of SIGNED_BODY_ENDPOINTS, whose body is left to the route. Bodies are read from a clone, so
 * the route still gets the original.
 */
export async function refusalOf(request: Request, url: URL, params: Record<string, string>, endpoint: boolean, { signedBody = false }: { signedBody?: boolean } = {}): Promise<InputRefusal | null> {
	const undecodable = url.search ? firstUndecodable(url.search) : null;
	if (undecodable !== null) return { code: 'undecodable', param: undecodable };
	const query = firstBadEntry(url.searchParams) ?? firstBadEntry(Object.entries(params));
	if (query !== null) return { code: 'control_character', param: query };
	if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || request.body === null || (endpoint && signedBody)) return null;
	const type = mediaType(request);
	if (FORMS.includes(type) || (type === 'text/plain' && !endpoint)) {
		// A form action reads request.formData(); text/plain (enctype="text/plain") and multipart
		// without a valid boundary make it throw.
		if (type === 'text/plain') return { code: 'unreadable_form' };
		let form: FormData;
		try {
			form = await request.clone().formData();
		} catch (error) {
			return isBodyTooLarge(error) ? null : { code: 'unreadable_form' };
		}
		const field = firstBadEntry(form);
		return field === null ? null : { code: 'control_character', param: field };
	}
	if (!endpoint) return null;
	// Endpoints read JSON whatever the declared type; an unreadable body is theirs to answer.
	let body: unknown;
	let text: string;
	try {
		text = await request.clone().text();
	} catch (error) {
		return isBodyTooLarge(error) ? { code: 'too_large' } : null;
	}
	try {
		body = JSON.parse(text);
	} catch {
		return null;
	}
	const path = badJsonPath(body, '');
	return path === null ? null : { code: 'control_character', param: path };
}
