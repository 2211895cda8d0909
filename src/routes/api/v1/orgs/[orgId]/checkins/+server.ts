import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { checkIn } from '$lib/server/participation';
import { issueDetails, refuse, respond } from '$lib/server/api/respond';
import { checkIn as contract } from '$lib/server/api/contracts';
import { CHECK_IN_REFUSALS } from '$lib/server/api/schemas';

/**
 * Check one person in (a phone at the door, or the benchmark): 201 checked in, 200 already, 4xx
 * refused. `orgId` is read by the guard, as on every staff route (404 when it is no UUID, as the
 * contract declares).
 */
export const POST: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'attendance.record');
	const parsed = contract.body.safeParse(await event.request.json().catch(() => null));
	if (!parsed.success) return refuse(contract, 400, 'invalid_body', 'Send {"occurrenceId": uuid, "code": string}.', issueDetails(parsed.error.issues));
	const result = await checkIn(scope, { occurrenceId: parsed.data.occurrenceId, code: parsed.data.code });
	if (!result.ok) return refuse(contract, CHECK_IN_REFUSALS[result.reason], result.reason, `Check-in refused: ${result.reason}.`);
	return respond(contract, result.value.result === 'checked_in' ? 201 : 200, { ok: true, ...result.value });
};
