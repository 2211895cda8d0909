import type { PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { inbox, inboxQuery, INBOX_VIEWS } from '$lib/server/consultations';

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'consultations.read');
	const { view } = inboxQuery.parse({ view: event.url.searchParams.get('view') ?? undefined });
	return { orgId: scope.organizationId, inbox: await inbox(scope, { view }), views: INBOX_VIEWS };
};
