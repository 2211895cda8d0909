/**
 * Nothing dead-ends (つなぎの見守り): the queue job, every ten minutes in runtime.ts under
 * runExclusive, in the platform's context.
 *
 * - A referral still 'sent' more than REFERRAL_ACCEPT_DAYS after it was sent goes to the
 *   secretariat's queue (reason 'not_accepted'); one 'accepted' with no first contact more than
 *   REFERRAL_CONTACT_DAYS after it was accepted goes there too ('no_first_contact'). waiting_since
 *   is when it entered that state (status_changed_at). A referral is queued once per reason (a
 *   unique index; `on conflict do nothing`, so two runs at once queue it once and only the one that
 *   inserted mails about it).
 * - Open entries whose referral has moved on are resolved by the job (resolved_at set, resolved_by
 *   left null: nobody, the referral itself moved).
 * - When something new is queued, the secretariat's admins get one mail naming the organisations,
 *   the reason and the days, with a link to the queue — never the person, never an item.
 * - 見守り: a referral whose follow_up_on (a Tokyo day) has come and whose reminder was not sent
 *   mails its referring worker a link to the referral; claimed with `UPDATE … WHERE
 *   follow_up_sent_at IS NULL RETURNING` and mailed in the same transaction (as events' reminders).
 *
 * `now` is a parameter, so the tests run the job with a fake clock.
 */
import { sql } from 'drizzle-orm';
import { translate } from '$lib/i18n';
import { recordAudit } from '../audit';
import { peopleByIds } from '../auth';
import { todayInTokyo } from '../clock';
import { organizationNames } from '../directory';
import { publicOrigin } from '../http';
import { log } from '../log';
import { sendMail } from '../mail';
import { secretariatUserIds } from '../network';
import { runIn, type SystemScope } from '../scope';
import type { QueueReason } from './schema';

export const DEFAULT_ACCEPT_DAYS = 3;
export const DEFAULT_CONTACT_DAYS = 7;
/** A sanity bound: a year. */
const MAX_DAYS = 365;
const DAY_MS = 86_400_000;

function daysFrom(env: NodeJS.ProcessEnv, name: 'REFERRAL_ACCEPT_DAYS' | 'REFERRAL_CONTACT_DAYS', fallback: number): number {
	const raw = env[name]?.trim();
	if (raw === undefined || raw === '') return fallback;
	const days = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(days) || days < 1 || days > MAX_DAYS) throw new Error(`${name} must be a whole number of days from 1 to ${MAX_DAYS} (default ${fallback}), not "${env[name]}"`);
	return days;
}

/** REFERRAL_ACCEPT_DAYS: whole days a referral may wait for acceptance before the secretariat is told (default 3). Anything else stops the start-up. */
export const referralAcceptDays = (env: NodeJS.ProcessEnv = process.env) => daysFrom(env, 'REFERRAL_ACCEPT_DAYS', DEFAULT_ACCEPT_DAYS);
/** REFERRAL_CONTACT_DAYS: whole days from acceptance to the first contact before the secretariat is told (default 7). */
export const referralContactDays = (env: NodeJS.ProcessEnv = process.env) => daysFrom(env, 'REFERRAL_CONTACT_DAYS', DEFAULT_CONTACT_DAYS);

export interface QueueRun {
	/** Entries added in this run. */
	queued: number;
	/** Open entries the job resolved because their referral moved on. */
	resolved: number;
	/** Follow-up reminders mailed. */
	followUps: number;
}

export interface QueueJobInput {
	now: Date;
	acceptDays: number;
	contactDays: number;
}

type Added = {
	from_organization_id: string;
	to_organization_id: string;
	reason: QueueReason;
	waiting_since: Date | string;
};

/** The link the secretariat's mail points at. */
export const queueLink = () => `${publicOrigin()}/staff/network/referrals`;
/** The referral in the sending organisation's staff area (the follow-up reminder's link). */
export const referralLink = (r: { id: string; fromOrganizationId: string }) => `${publicOrigin()}/staff/orgs/${r.fromOrganizationId}/referrals/${r.id}`;

/** Whole days between two instants (floored; never negative). */
export const daysBetween = (since: Date, now: Date) => Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));

/** The job: resolve what moved on, queue what is stuck (mailing the secretariat), then the follow-up reminders. */
export async function queueStuckReferrals(scope: SystemScope, input: QueueJobInput): Promise<QueueRun> {
	const now = input.now.toISOString();
	const acceptBefore = new Date(input.now.getTime() - input.acceptDays * DAY_MS).toISOString();
	const contactBefore = new Date(input.now.getTime() - input.contactDays * DAY_MS).toISOString();
	const { added, resolved, mail } = await runIn(scope, async (tx) => {
		const moved = await tx.execute(sql`
			update referral_queue q set resolved_at = ${now}::timestamptz
			from referrals r
			where q.referral_id = r.id and q.resolved_at is null
				and ((q.reason = 'not_accepted' and r.status <> 'sent')
					or (q.reason = 'no_first_contact' and (r.status <> 'accepted' or r.first_contact_at is not null)))`);
		const inserted = await tx.execute<Added>(sql`
			insert into referral_queue (referral_id, from_organization_id, to_organization_id, reason, waiting_since, queued_at)
			select r.id, r.from_organization_id, r.to_organization_id, case when r.status = 'sent' then 'not_accepted' else 'no_first_contact' end, r.status_changed_at, ${now}::timestamptz
			from referrals r
			where (r.status = 'sent' and r.status_changed_at < ${acceptBefore}::timestamptz)
				or (r.status = 'accepted' and r.first_contact_at is null and r.status_changed_at < ${contactBefore}::timestamptz)
			order by r.status_changed_at
			on conflict (referral_id, reason) do nothing
			returning from_organization_id, to_organization_id, reason, waiting_since`);
		const added = inserted.rows;
		const resolved = moved.rowCount ?? 0;
		let mail: { to: string[]; subject: string; text: string } | null = null;
		if (added.length > 0) {
			const names = await organizationNames(tx, [...new Set(added.flatMap((a) => [a.from_organization_id, a.to_organization_id]))]);
			const people = await peopleByIds(tx, await secretariatUserIds(tx));
			const lines = added.map((a) =>
				translate('ja', 'referralQueue.mail.line', {
					from: names.get(a.from_organization_id) ?? '',
					to: names.get(a.to_organization_id) ?? '',
					reason: translate('ja', `referralQueue.reason.${a.reason}`),
					days: daysBetween(new Date(a.waiting_since), input.now)
				})
			);
			const app = translate('ja', 'app.name');
			mail = {
				to: [...people.values()].map((p) => p.email),
				subject: translate('ja', 'referralQueue.mail.subject', { app, count: added.length }),
				text: translate('ja', 'referralQueue.mail.body', { lines: lines.join('\n'), link: queueLink() })
			};
		}
		if (added.length > 0 || resolved > 0) await recordAudit(tx, scope.origin, { action: 'referral_queue.run', entityType: 'referral_queue', entityId: `queued=${added.length} resolved=${resolved}` });
		return { added, resolved, mail };
	});
	// After the commit: the entries stand whether or not the mail goes (the page shows them).
	if (mail)
		for (const to of mail.to) {
			try {
				await sendMail({ to, subject: mail.subject, text: mail.text });
			} catch (error) {
				log.error('referral_queue_mail_failed', { message: (error as Error).message });
			}
		}
	const followUps = await sendFollowUps(scope, input.now);
	return { queued: added.length, resolved, followUps };
}

const followUpDue = (today: string) => sql`follow_up_on is not null and follow_up_on <= ${today}::date and follow_up_sent_at is null`;

/**
 * 見守り: each due referral claimed and mailed to its referring worker in one transaction (a failed
 * send rolls the mark back, so the next run tries again; two runs at once send one mail).
 */
async function sendFollowUps(scope: SystemScope, now: Date): Promise<number> {
	const today = todayInTokyo(now);
	const due = await runIn(scope, (tx) => tx.execute<{ id: string }>(sql`select id from referrals where ${followUpDue(today)} order by follow_up_on limit 500`));
	let sent = 0;
	for (const { id } of due.rows) {
		try {
			const mailed = await runIn(scope, async (tx) => {
				const claimed = await tx.execute<{ id: string; from_organization_id: string; to_organization_id: string; referred_by: string }>(sql`
					update referrals set follow_up_sent_at = ${now.toISOString()}::timestamptz
					where id = ${id}::uuid and ${followUpDue(today)}
					returning id, from_organization_id, to_organization_id, referred_by`);
				const [r] = claimed.rows;
				if (!r) return false; // another run took it meanwhile
				const person = (await peopleByIds(tx, [r.referred_by])).get(r.referred_by);
				const to = (await organizationNames(tx, [r.to_organization_id])).get(r.to_organization_id) ?? '';
				await recordAudit(tx, scope.origin, { action: 'referral.follow_up_remind', organizationId: r.from_organization_id, entityType: 'referral', entityId: r.id, changedFields: ['follow_up_sent_at'] });
				if (!person) return false; // the worker's account is gone: marked, nobody to tell
				const app = translate('ja', 'app.name');
				await sendMail({ to: person.email, subject: translate('ja', 'referralFollowUp.mail.subject', { app, to }), text: translate('ja', 'referralFollowUp.mail.body', { to, link: referralLink({ id: r.id, fromOrganizationId: r.from_organization_id }) }) });
				return true;
			});
			if (mailed) sent++;
		} catch (error) {
			log.error('referral_follow_up_failed', { referralId: id, message: (error as Error).message });
		}
	}
	return sent;
}
