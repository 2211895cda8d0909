import type { LayoutServerLoad } from './$types';
import { requireActor } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth';

/** Every /staff page needs a signed-in person (and a second factor where the role requires one). */
export const load: LayoutServerLoad = (event) => {
	const actor = requireActor(event);
	return {
		staff: {
			displayName: actor.displayName,
			secretariat: actor.secretariat,
			organizations: actor.memberships.map((m) => ({
				id: m.organizationId,
				name: m.organizationName,
				role: m.role,
				canEdit: can(actor, 'directory.edit', m.organizationId),
				canManage: can(actor, 'members.manage', m.organizationId),
				canEvents: can(actor, 'events.manage', m.organizationId),
				canRecord: can(actor, 'attendance.record', m.organizationId),
				canFigures: can(actor, 'figures.view', m.organizationId),
				canConsult: can(actor, 'consultations.read', m.organizationId),
				canConsultSettings: can(actor, 'consultations.manage', m.organizationId),
				canConferences: can(actor, 'conferences.take_part', m.organizationId),
				canReferrals: can(actor, 'referrals.receive', m.organizationId)
			}))
		}
	};
};
