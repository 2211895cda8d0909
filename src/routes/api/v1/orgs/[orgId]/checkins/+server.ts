import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { checkIn } from '$lib/server/participation';
import { apiError, apiPrivateJson, issueDetails } from '$lib/server/api/respond';
import { CHECK_IN_REFUSALS, CheckInRequest, CheckInResult } from '$lib/server/api/schemas';

/** Check one person in (a phone at the door, or the benchmark): 201 checked in, 200 already, 4xx refused. */
export const POST: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'attendance.record');
	const parsed = CheckInRequest.safeParse(await event.request.json().catch(() => null));
	if (!parsed.success) return apiError(400, 'invalid_body', 'Send {"occurrenceId": uuid, "code": string}.', issueDetails(parsed.error.issues));
	const result = await checkIn(scope, { occurrenceId: parsed.data.occurrenceId, code: parsed.data.code });
	if (!result.ok) return apiError(CHECK_IN_REFUSALS[result.reason], result.reason, `Check-in refused: ${result.reason}.`);
	return apiPrivateJson(CheckInResult, { ok: true, ...result.value }, result.value.result === 'checked_in' ? 201 : 200);
};
