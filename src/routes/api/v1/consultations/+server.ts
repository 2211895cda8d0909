import type { RequestHandler } from './$types';
import { residentScope } from '$lib/server/auth/guard';
import { startConsultation } from '$lib/server/consultations';
import { issueDetails, refuse, respond } from '$lib/server/api/respond';
import { startConsultation as contract } from '$lib/server/api/contracts';
import { CONSULTATION_REFUSALS } from '$lib/server/api/schemas';
import { throttle } from '$lib/server/auth';

/** An anonymous consultation as JSON: 201 with the private link, and the hotlines when triage matched. */
export const POST: RequestHandler = async (event) => {
	const parsed = contract.body.safeParse(await event.request.json().catch(() => null));
	if (!parsed.success) return refuse(contract, 400, 'invalid_body', 'Send {"message": string} (optional nickname, contact, organization_id).', issueDetails(parsed.error.issues));
	const verdict = await throttle().attemptFromNetwork('consult', event.locals.ip);
	if (!verdict.allowed) {
		const refused = refuse(contract, 429, 'throttled', 'Too many consultations from this network; try again later.');
		refused.headers.set('retry-after', String(verdict.retryAfter));
		return refused;
	}
	const { message, nickname, contact, organization_id } = parsed.data;
	const started = await startConsultation(residentScope(event), { message, nickname: nickname || undefined, contact: contact || undefined, organizationId: organization_id });
	if (!started.ok) return refuse(contract, CONSULTATION_REFUSALS[started.reason], started.reason, `Consultation refused: ${started.reason}.`);
	const { id, token, urgent, hotlines } = started.value;
	// A bearer link: never kept by a cache.
	return respond(contract, 201, { id, link: `${event.url.origin}/consult/t/${token}`, urgent, ...(urgent ? { hotlines: hotlines.map(({ name, number, hours, url }) => ({ name, number, hours, url })) } : {}) }, { 'cache-control': 'no-store' });
};
