/**
 * How large a request body may be. adapter-node refuses any body over BODY_SIZE_LIMIT with a bare
 * 413 once a route starts reading it (scripts/serve.ts sets the default below); a form that takes
 * a file checks its own, lower limit first, from the declared length and before parsing anything,
 * so the person sees the form again with a message in words instead of an error page.
 */

/** adapter-node's limit on every request body unless the environment sets BODY_SIZE_LIMIT. */
export const DEFAULT_BODY_SIZE_LIMIT = '1M';
/** The same in bytes (adapter-node reads 「M」 as 1024 × 1024). */
export const DEFAULT_BODY_SIZE_BYTES = 1024 * 1024;

export type FormBody = { ok: true; form: FormData } | { ok: false; reason: 'too_large' };

/** Reading a body failed because it is over the server's limit (adapter-node errors the stream with a SvelteKitError of status 413). */
export function isBodyTooLarge(error: unknown): boolean {
	return (error as { status?: unknown } | null)?.status === 413;
}

/**
 * The request's form, or `too_large` when its body is over `maxBytes`: refused from the declared
 * length without reading a byte, or, for a body sent without a length (chunked), when the
 * server's own limit stops the reading. Nothing else is caught.
 */
export async function readFormWithin(request: Request, maxBytes: number): Promise<FormBody> {
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, reason: 'too_large' };
	try {
		return { ok: true, form: await request.formData() };
	} catch (error) {
		if (isBodyTooLarge(error)) return { ok: false, reason: 'too_large' };
		throw error;
	}
}
