import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { publicOrigin } from '$lib/server/runtime';
import { decideJoinRequest, listJoinRequests } from '$lib/server/network';
import { actorDb, auditOrigin, requirePermission } from '$lib/server/auth/guard';
import { sendMailInBackground } from '$lib/server/mail';
import { translate, type MessageKey } from '$lib/i18n';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'network.review');
	const requests = await actorDb(event, (tx) => listJoinRequests(tx));
	return {
		requests: requests.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), decidedAt: r.decidedAt?.toISOString() ?? null })),
		done: event.url.searchParams.get('done')
	};
};

const decisionForm = z.object({ id: z.uuid(), note: z.string().trim().max(1000).optional() });

async function decide(event: Parameters<NonNullable<Actions['approve']>>[0], decision: 'approve' | 'reject') {
	requirePermission(event, 'network.review');
	const parsed = decisionForm.safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success) error(404, 'Not Found');
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
	const result = await actorDb(event, (tx) => decideJoinRequest(tx, auditOrigin(event), parsed.data.id, decision, parsed.data.note || null));
	if (result.outcome === 'not_pending') return fail(409, { error: t('joinRequests.notPending') });
	if (result.outcome === 'approved') {
		const link = `${publicOrigin()}/invite/${result.invitationToken}`;
		sendMailInBackground({ to: result.email, subject: t('mail.joinApproved.subject'), text: t('mail.joinApproved.body', { organization: result.organizationName, link }) });
	} else {
		sendMailInBackground({ to: result.email, subject: t('mail.joinDeclined.subject'), text: t('mail.joinDeclined.body', { organization: result.organizationName }) });
	}
	redirect(303, `/staff/network/join-requests?done=${result.outcome}`);
}

export const actions: Actions = {
	approve: (event) => decide(event, 'approve'),
	reject: (event) => decide(event, 'reject')
};
