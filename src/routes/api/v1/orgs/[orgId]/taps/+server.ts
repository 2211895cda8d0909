import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { recordTaps, tapBatch } from '$lib/server/participation';
import { jsonError } from '$lib/server/events';

/**
 * A batch of anonymous taps from a counting phone. Idempotent: each tap's clientKey is counted
 * once; a batch sent again answers with its keys as duplicates, so the phone can drop them.
 */
export const POST: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'attendance.record');
	const parsed = tapBatch.safeParse(await event.request.json().catch(() => null));
	if (!parsed.success) return jsonError(400, 'invalid_body', 'Send {"taps": [...]} with 1–500 valid taps.', parsed.error.issues.slice(0, 10).map((i) => ({ param: i.path.join('.'), code: i.code })));
	const result = await recordTaps(scope, { taps: parsed.data.taps });
	if (!result.ok) return jsonError(result.reason === 'foreign_program' ? 404 : 400, result.reason, `Tap ${result.clientKey} refused: ${result.reason}.`);
	return json({ accepted: result.value.accepted, duplicates: result.value.duplicates });
};
