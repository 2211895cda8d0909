import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { publicOrigin } from '$lib/server/http/origin';
import { decideJoinRequest, joinRequestsPage } from '$lib/server/network';
import { requireSecretariat } from '$lib/server/auth/guard';
import { sendMailInBackground } from '$lib/server/mail';
import { uuid, queryOf } from '$lib/server/boundary';
import { translate, type MessageKey } from '$lib/i18n';

/** `?done=` after a decision: only the two known words pass. */
const pageQuery = z.object({ done: z.enum(['approved', 'rejected']).nullable().catch(null) });

export const load: PageServerLoad = async (event) => {
	const scope = requireSecretariat(event, 'network.review');
	const { done } = queryOf(pageQuery, event.url.searchParams);
	const requests = await joinRequestsPage(scope);
	return {
		requests: requests.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), decidedAt: r.decidedAt?.toISOString() ?? null })),
		done
	};
};

const decisionForm = z.object({ id: uuid, note: z.string().trim().max(1000).optional() });

async function decide(event: RequestEvent, decision: 'approve' | 'reject') {
	const scope = requireSecretariat(event, 'network.review');
	const parsed = decisionForm.safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success) error(404, 'Not Found');
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
	const result = await decideJoinRequest(scope, { id: parsed.data.id, decision, note: parsed.data.note || null });
	if (!result.ok) return fail(409, { error: t('joinRequests.notPending') });
	const decided = result.value;
	if (decided.decision === 'approved') {
		const link = `${publicOrigin()}/invite/${decided.invitationToken}`;
		sendMailInBackground({ to: decided.email, subject: t('mail.joinApproved.subject'), text: t('mail.joinApproved.body', { organization: decided.organizationName, link }) });
	} else {
		sendMailInBackground({ to: decided.email, subject: t('mail.joinDeclined.subject'), text: t('mail.joinDeclined.body', { organization: decided.organizationName }) });
	}
	redirect(303, `/staff/network/join-requests?done=${decided.decision}`);
}

export const actions: Actions = {
	approve: (event) => decide(event, 'approve'),
	reject: (event) => decide(event, 'reject')
};
