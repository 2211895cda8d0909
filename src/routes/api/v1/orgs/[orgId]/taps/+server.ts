import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { recordTaps } from '$lib/server/participation';
import { issueDetails, refuse, respond } from '$lib/server/api/respond';
import { recordTaps as contract } from '$lib/server/api/contracts';
import { TAP_REFUSALS } from '$lib/server/api/schemas';

/**
 * A batch of anonymous taps from a counting phone. Idempotent: each tap's clientKey is counted
 * once; a batch sent again answers with its keys as duplicates, so the phone can drop them.
 */
export const POST: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'attendance.record');
	const parsed = contract.body.safeParse(await event.request.json().catch(() => null));
	if (!parsed.success) return refuse(contract, 400, 'invalid_body', 'Send {"taps": [...]} with 1–500 valid taps.', issueDetails(parsed.error.issues));
	const result = await recordTaps(scope, { taps: parsed.data.taps });
	if (!result.ok) return refuse(contract, TAP_REFUSALS[result.reason], result.reason, `Tap ${result.clientKey} refused: ${result.reason}.`);
	return respond(contract, 200, { accepted: result.value.accepted, duplicates: result.value.duplicates });
};
