/**
 * The first secretariat admin. A network without one gets a set-up invitation at every start,
 * printed to the log (and the outbox), until someone accepts it — as Jenkins or GitLab hand out
 * their first admin password.
 */
import { createMemberOrganization, organizationIdBySlug } from '../directory';
import { createEmailToken, INVITATION_LIFETIME_MS, invitationIssuedSince, voidInvitationsFor } from '../auth';
import { runIn, type SystemScope } from '../scope';
import { secretariatExists } from './members';

/** In the demo region the secretariat is 荒川区社会福祉協議会 (seed 003). */
export const DEMO_SECRETARIAT_SLUG = 's003-arakawa-shakyo';

export interface SetupInvitation {
	token: string;
	email: string;
	organizationId: string;
}

/** At start-up (a `SystemScope`): a new set-up link while no secretariat admin exists, else null. */
export async function ensureSecretariatInvitation(scope: SystemScope, options: { email: string; organizationSlug?: string; networkName: string }): Promise<SetupInvitation | null> {
	return runIn(scope, async (tx) => {
		if (await secretariatExists(tx)) return null;
		let organizationId = options.organizationSlug ? await organizationIdBySlug(tx, options.organizationSlug) : null;
		organizationId ??= await organizationIdBySlug(tx, 'network-secretariat');
		organizationId ??= await createMemberOrganization(tx, { name: options.networkName, slug: 'network-secretariat' });
		// Earlier set-up links stop working: only the one just printed does.
		await voidInvitationsFor(tx, 'secretariat_admin');
		const token = await createEmailToken(tx, 'invitation', { email: options.email, organizationId, role: 'secretariat_admin' }, INVITATION_LIFETIME_MS);
		return { token, email: options.email, organizationId };
	});
}

/**
 * Whether a set-up link still open was issued at or after `since`. At start-up `since` is when this
 * process began starting: such a link came from another process starting alongside (several
 * processes on one database), so this one makes no second link that would void the first. A later
 * restart still issues a fresh link, as a single process always did.
 */
export async function setupLinkIssuedSince(scope: SystemScope, since: Date): Promise<boolean> {
	return runIn(scope, (tx) => invitationIssuedSince(tx, 'secretariat_admin', since));
}
