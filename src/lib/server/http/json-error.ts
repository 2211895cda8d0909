/**
 * The platform's JSON error answer, `{error: {code, message, details}}`, not cached. The API's
 * `apiError` (api/respond.ts) types it by the OpenAPI document's `Error` schema; platform services
 * (the audit export) use this one, so they never depend on the API layer.
 */
import { json } from '@sveltejs/kit';

export interface ErrorDetail {
	param: string;
	code: string;
	message: string;
}

export function errorResponse(status: number, code: string, message: string, details: ErrorDetail[] = []): Response {
	return json({ error: { code, message, details } }, { status, headers: { 'cache-control': 'no-store' } });
}
