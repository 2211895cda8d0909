/**
 * JSON API responses: one error shape everywhere (the `Error` schema of the OpenAPI document),
 * never a stack trace; successful bodies typed by the schema the document declares for them.
 */
import { json } from '@sveltejs/kit';
import { errorResponse } from '../http';
import type { z } from 'zod';
import type { ApiError, ApiErrorDetail as ApiErrorDetailSchema, ApiOf } from './schemas';

export type ApiErrorDetail = ApiOf<typeof ApiErrorDetailSchema>;

/** The only JSON error helper: `{error: {code, message, details}}`, not cached. */
export function apiError(status: number, code: string, message: string, details: ApiErrorDetail[] = []) {
	const body: ApiOf<typeof ApiError> = { error: { code, message, details } };
	return errorResponse(status, body.error.code, body.error.message, body.error.details);
}

/** Error details from zod issues: the dotted path of the field, the issue code, its message. */
export function issueDetails(issues: readonly z.core.$ZodIssue[], limit = 10): ApiErrorDetail[] {
	return issues.slice(0, limit).map((i) => ({ param: i.path.map(String).join('.'), code: i.code, message: i.message }));
}

/**
 * A public, cacheable answer whose body is what `schema` describes (checked by TypeScript). A body
 * that states the data's licence (`license.url`) sends it as a link header too (RFC 4946).
 */
export function apiJson<S extends z.ZodType>(_schema: S, body: z.output<S>, maxAgeSeconds = 60) {
	const license = (body as { license?: { url?: unknown } } | null)?.license;
	const link: Record<string, string> = typeof license?.url === 'string' ? { link: `<${license.url}>; rel="license"` } : {};
	return json(body, { headers: { 'cache-control': `public, max-age=${maxAgeSeconds}`, 'access-control-allow-origin': '*', ...link } });
}

/** A private answer for a signed-in staff member (the hooks add `cache-control: private, no-store`). */
export function apiPrivateJson<S extends z.ZodType>(_schema: S, body: z.output<S>, status = 200) {
	return json(body, { status });
}
