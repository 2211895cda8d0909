import { json } from '@sveltejs/kit';
import { z } from 'zod';
import type { RequestHandler } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { checkIn } from '$lib/server/participation';
import { jsonError } from '$lib/server/events';

const body = z.object({ occurrenceId: z.string().uuid(), code: z.string().min(1).max(100) });

/** Check one person in (a phone at the door, or the benchmark): 201 checked in, 200 already, 4xx refused. */
export const POST: RequestHandler = async (event) => {
	const scope = requireOrganization(event, 'attendance.record');
	const parsed = body.safeParse(await event.request.json().catch(() => null));
	if (!parsed.success) return jsonError(400, 'invalid_body', 'Send {"occurrenceId": uuid, "code": string}.', parsed.error.issues.map((i) => ({ param: String(i.path[0] ?? ''), code: i.code })));
	const result = await checkIn(scope, { occurrenceId: parsed.data.occurrenceId, code: parsed.data.code });
	if (!result.ok) return jsonError(result.reason === 'bad_code' ? 400 : result.reason === 'no_occurrence' ? 404 : 409, result.reason, `Check-in refused: ${result.reason}.`);
	return json({ ok: true, ...result.value }, { status: result.value.result === 'checked_in' ? 201 : 200 });
};
