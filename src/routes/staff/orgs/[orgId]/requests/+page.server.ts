import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { answerSubjectRequest, openSubjectRequest, subjectRequestsPage } from '$lib/server/consent';
import { queryOf, notice, formOf } from '$lib/server/boundary';

const requestId = z.object({ id: z.guid() });
/** `?id=` opens one (a malformed id is a 404 below), `?done=answered` after answering. */
const pageQuery = z.object({ id: z.string().nullable(), done: notice(['answered']) });

/** The people's requests to the organisation (privacy.requests): the list, one opened (`?id=`, an audited read), marked answered. */
export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'privacy.requests');
	const list = await subjectRequestsPage(scope);
	if (!list.ok) error(403, 'Forbidden');
	const asked = queryOf(pageQuery, event.url.searchParams).id;
	let opened = null;
	if (asked !== null) {
		const parsed = requestId.safeParse({ id: asked });
		if (!parsed.success) error(404, 'Not Found');
		const found = await openSubjectRequest(scope, { requestId: parsed.data.id });
		if (!found.ok) error(404, 'Not Found');
		opened = found.value;
	}
	event.setHeaders({ 'cache-control': 'private, no-store' });
	return { orgId: scope.organizationId, requests: list.value, opened, done: queryOf(pageQuery, event.url.searchParams).done === 'answered' };
};

export const actions: Actions = {
	answer: async (event) => {
		const scope = requireOrganization(event, 'privacy.requests');
		const parsed = requestId.safeParse(formOf(requestId, await event.request.formData()));
		if (!parsed.success) return fail(400, { notice: 'consent.error.summary' });
		const answered = await answerSubjectRequest(scope, { requestId: parsed.data.id });
		if (!answered.ok) {
			if (answered.reason === 'already_answered') return fail(409, { notice: 'requests.answered' });
			error(answered.reason === 'forbidden' ? 403 : 404, answered.reason === 'forbidden' ? 'Forbidden' : 'Not Found');
		}
		redirect(303, `/staff/orgs/${scope.organizationId}/requests?done=answered`);
	}
};
