/**
 * Mails about referrals: a link only, never content (who the person is, what was shared, notes).
 * When a referral arrives, every member of the receiving organisation who may receive referrals is
 * told; on each step the receiver takes (or the sender's colleague closes it), the worker who
 * referred is told. The addresses belong to another organisation than the one acting, so they are
 * looked up by the platform (a system scope) after the acting transaction committed; sending never
 * holds a transaction and never fails the step: a failed mail is logged.
 */
import { translate, type MessageKey } from '$lib/i18n';
import { peopleByIds, ROLE_PERMISSIONS } from '../auth';
import { db } from '../db';
import { publicOrigin } from '../http';
import { log } from '../log';
import { sendMail } from '../mail';
import { membersOf } from '../network';
import { runIn, systemScope } from '../scope';
import type { ReferralStatus } from './schema';

/** Mails started and not yet finished: a test (or shutdown) can wait for them. */
const inFlight = new Set<Promise<void>>();

export async function referralMailsSettled(): Promise<void> {
	while (inFlight.size > 0) await Promise.all([...inFlight]);
}

function track(work: () => Promise<void>, what: Record<string, unknown>): void {
	const done: Promise<void> = work()
		.catch((error) => log.error('referral_mail_failed', { ...what, message: (error as Error).message }))
		.finally(() => inFlight.delete(done));
	inFlight.add(done);
}

/** The referral's page in the staff area of `organizationId` (the only thing a mail points at). */
export const referralLink = (organizationId: string, referralId: string) => `${publicOrigin()}/staff/orgs/${organizationId}/referrals/${referralId}`;

async function send(to: string[], subject: MessageKey, body: MessageKey, link: string) {
	const params = { app: translate('ja', 'app.name'), link };
	for (const address of to) await sendMail({ to: address, subject: translate('ja', subject, params), text: translate('ja', body, params) });
}

/** A referral arrived: tell the receiving organisation's members who may receive referrals. */
export function notifyArrival(referral: { id: string; toOrganizationId: string }): void {
	track(
		async () => {
			const to = await runIn(systemScope(db(), 'referrals.notify'), async (tx) => {
				const receivers = (await membersOf(tx, referral.toOrganizationId)).filter((m) => ROLE_PERMISSIONS[m.role].includes('referrals.receive')).map((m) => m.userId);
				return [...(await peopleByIds(tx, receivers)).values()].map((p) => p.email);
			});
			await send(to, 'referrals.mail.arrivedSubject', 'referrals.mail.arrivedBody', referralLink(referral.toOrganizationId, referral.id));
		},
		{ referralId: referral.id, kind: 'arrival' }
	);
}

/** A step was taken: tell the worker who referred (unless they took it themselves). */
export function notifyStep(referral: { id: string; fromOrganizationId: string; referredBy: string }, status: ReferralStatus, actorUserId: string): void {
	if (referral.referredBy === actorUserId) return;
	track(
		async () => {
			const to = await runIn(systemScope(db(), 'referrals.notify'), async (tx) => [...(await peopleByIds(tx, [referral.referredBy])).values()].map((p) => p.email));
			const params = { app: translate('ja', 'app.name'), link: referralLink(referral.fromOrganizationId, referral.id), status: translate('ja', `referrals.status.${status}`) };
			for (const address of to) await sendMail({ to: address, subject: translate('ja', 'referrals.mail.stepSubject', params), text: translate('ja', 'referrals.mail.stepBody', params) });
		},
		{ referralId: referral.id, kind: 'step' }
	);
}
