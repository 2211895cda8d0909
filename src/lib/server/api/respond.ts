/** JSON API responses: one error shape everywhere, never a stack trace. */
import { json } from '@sveltejs/kit';

export interface ApiErrorDetail {
	param: string;
	code: string;
	message: string;
}

export function apiError(status: number, code: string, message: string, details: ApiErrorDetail[] = []) {
	return json({ error: { code, message, details } }, { status, headers: { 'cache-control': 'no-store' } });
}

export function apiJson(body: unknown, maxAgeSeconds = 60) {
	return json(body, { headers: { 'cache-control': `public, max-age=${maxAgeSeconds}`, 'access-control-allow-origin': '*' } });
}
