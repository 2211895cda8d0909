import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { db } from '$lib/server/runtime';
import { asSystem } from '$lib/server/db/tenant';
import { recordAudit } from '$lib/server/audit';
import { auditOrigin } from '$lib/server/auth/guard';
import { switchSession } from '$lib/server/auth/web';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.actor) redirect(303, '/');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		if (event.locals.actor) {
			const actor = event.locals.actor;
			await asSystem(db(), (tx) => recordAudit(tx, auditOrigin(event), { action: 'session.logout', entityType: 'user', entityId: actor.userId }));
		}
		await switchSession(event, null);
		redirect(303, '/');
	}
};
