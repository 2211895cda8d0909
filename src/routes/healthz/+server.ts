import { json } from '@sveltejs/kit';
import { database } from '$lib/server/db';

/** Liveness and readiness: 200 only when the database answers. */
export async function GET() {
	const started = performance.now();
	try {
		const handle = database();
		if (!handle) throw new Error('not started');
		await handle.pool.query('select 1');
		return json({ status: 'ok', database: 'ok', ms: Math.round(performance.now() - started) }, { headers: { 'cache-control': 'no-store' } });
	} catch {
		return json({ status: 'error', database: 'unavailable' }, { status: 503, headers: { 'cache-control': 'no-store' } });
	}
}
