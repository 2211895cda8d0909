/**
 * JSON API answers through the endpoint contracts (contracts.ts): a status the contract declares,
 * a body of that status's schema (checked by TypeScript), one error shape everywhere (the `Error`
 * schema of the OpenAPI document), never a stack trace.
 */
import { json } from '@sveltejs/kit';
import { errorResponse } from '../http';
import type { z } from 'zod';
import type { ApiError, ApiErrorDetail as ApiErrorDetailSchema, ApiOf } from './schemas';
import type { Answer, AnswerOf, Endpoint, ErrorStatusOf, NdjsonLineOf, StatusOf } from './endpoint';
import type { Pool } from '../db';
import { currentHsdsLicence, hsdsHeaders, type HsdsLicence } from '../opendata';

export type ApiErrorDetail = ApiOf<typeof ApiErrorDetailSchema>;

/** The JSON error helper: `{error: {code, message, details}}`, not cached (also for routes outside /api/v1). */
export function apiError(status: number, code: string, message: string, details: ApiErrorDetail[] = []) {
	const body: ApiOf<typeof ApiError> = { error: { code, message, details } };
	return errorResponse(status, body.error.code, body.error.message, body.error.details);
}

/** An endpoint's `Error` answer, with a status its contract declares for one. */
export function refuse<E extends Endpoint>(_endpoint: E, status: ErrorStatusOf<E>, code: string, message: string, details: ApiErrorDetail[] = []) {
	return apiError(status, code, message, details);
}

/** Error details from zod issues: the dotted path of the field, the issue code, its message. */
export function issueDetails(issues: readonly z.core.$ZodIssue[], limit = 10): ApiErrorDetail[] {
	return issues.slice(0, limit).map((i) => ({ param: i.path.map(String).join('.'), code: i.code, message: i.message }));
}

/**
 * An endpoint's JSON answer with a status its contract declares, the body that status's schema. A
 * staff endpoint's answer is private (the hooks add `cache-control: private, no-store`).
 */
export function respond<E extends Endpoint, S extends StatusOf<E>>(_endpoint: E, status: S, body: AnswerOf<E, S>, headers: Record<string, string> = {}) {
	return json(body, { status, headers });
}

/**
 * A public, cacheable 200 of an endpoint. A body that states the data's licence (`license.url`)
 * sends it as a link header too (RFC 4946).
 */
export function respondPublic<E extends Endpoint & { responses: { 200: Answer } }>(endpoint: E, body: AnswerOf<E, 200>, maxAgeSeconds = 60) {
	const license = (body as { license?: { url?: unknown } } | null)?.license;
	const link: Record<string, string> = typeof license?.url === 'string' ? { link: `<${license.url}>; rel="license"` } : {};
	return respond(endpoint, 200, body, { 'cache-control': `public, max-age=${maxAgeSeconds}`, 'access-control-allow-origin': '*', ...link });
}

/** The request headers a contract names (`headers`), parsed by its schema. */
export function parseHeaders<S extends z.ZodObject>(schema: S, headers: Headers) {
	return schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((name) => [name, headers.get(name) ?? undefined])));
}

type Public = Endpoint & { responses: { 200: Answer } };

/**
 * An /api/hsds 200: its body built under the directory's licence now, which the `Link:
 * rel="license"` header states too; public and cacheable (opendata's `hsdsHeaders`).
 */
export async function respondHsds<E extends Public>(endpoint: E, db: Pool, build: (licence: HsdsLicence) => AnswerOf<E, 200> | Promise<AnswerOf<E, 200>>) {
	const licence = await currentHsdsLicence(db);
	return respond(endpoint, 200, await build(licence), hsdsHeaders(licence));
}

/**
 * An endpoint's NDJSON 200 (application/x-ndjson): each record its contract's line schema, one
 * a line, streamed as read; a client that goes away stops the reading.
 */
export function respondNdjson<E extends Public>(_endpoint: E, records: AsyncGenerator<NdjsonLineOf<E>>, headers: Record<string, string> = {}) {
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const next = await records.next();
			if (next.done) controller.close();
			else controller.enqueue(encoder.encode(JSON.stringify(next.value) + '\n'));
		},
		async cancel() {
			await records.return(undefined);
		}
	});
	return new Response(body, { headers: { ...headers, 'content-type': 'application/x-ndjson; charset=utf-8' } });
}
