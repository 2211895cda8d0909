/**
 * Alerts about urgent consultations. When a thread becomes urgent, the organisation's on-call
 * counsellor (rota position 1; with no rota, every member who can answer) is told at once — by
 * mail, and by LINE push when they linked LINE and a channel is configured. The thread's
 * escalation level becomes 1; escalation.ts takes it further while nobody opens it.
 *
 * Never content: an alert says that an urgent consultation is waiting and links to the thread in
 * the staff area (where opening it is an audited read, second factor required). Each alert is a
 * row of consultation_alerts (reason, level, via, delivery); a failed mail or push is recorded as
 * `failed` and logged — never an error for the person who wrote, whose answer has already gone:
 * callers start an alert after their transaction committed and do not wait for it.
 *
 * The claim (level 0 → 1, in one UPDATE) makes an alert go once however often it is asked for.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { translate } from '$lib/i18n';
import { peopleByIds } from '../auth';
import { organizationNames } from '../directory';
import { publicOrigin } from '../http';
import { log } from '../log';
import { sendMail } from '../mail';
import { runIn, type OrganizationScope, type ResidentScope, type SystemScope, type Tx } from '../scope';
import { lineChannel, sendToLine } from './line/channel';
import { answeringMembers, lineUserIdOfRota, rotaOf, type OnCall } from './rota';
import { consultationAlerts, consultationThreads, type AlertReason } from './schema';

export type AlertScope = ResidentScope | SystemScope | OrganizationScope;

/** Who is told, and how: a counsellor (with a link to the thread) or a secretariat admin (without). */
export interface Recipient {
	userId: string;
	role: 'counsellor' | 'secretariat';
	/** The rota row, when they are on it (their LINE link lives there). */
	onCall?: OnCall;
}

interface Planned {
	alertId: string;
	via: 'mail' | 'line';
	to: string;
	subject: string;
	text: string;
}

/** Alerts started and not yet finished: shutdown waits for them (stopPlatform), and so can a test. */
const inFlight = new Set<Promise<void>>();

/** Resolves when every alert started so far has been sent and recorded (or has failed and been logged). */
export async function alertsSettled(): Promise<void> {
	while (inFlight.size > 0) await Promise.all([...inFlight]);
}

function track(work: Promise<unknown>, what: Record<string, unknown>): Promise<void> {
	const done: Promise<void> = work
		.then(() => undefined)
		.catch((error) => log.error('consultation_alert_failed', { ...what, message: (error as Error).message }))
		.finally(() => inFlight.delete(done));
	inFlight.add(done);
	return done;
}

/**
 * Alert the on-call counsellor about these threads if they are urgent and nobody was alerted yet.
 * Call after the transaction that made them urgent committed; never throws, and nobody needs to
 * wait for it (the returned promise settles when the alerts went out and were recorded).
 */
export function alertUrgent(scope: AlertScope, threadIds: string | readonly (string | undefined)[]): Promise<void> {
	const ids = [...new Set((typeof threadIds === 'string' ? [threadIds] : threadIds).filter((id): id is string => !!id))];
	if (ids.length === 0) return Promise.resolve();
	return track(raiseUrgentAlerts(scope, ids), { threadIds: ids });
}

/** The claim and the first alerts; exported for the escalation job, which catches any a dead process missed. */
export async function raiseUrgentAlerts(scope: AlertScope, threadIds: string[]): Promise<number> {
	const planned = await runIn(scope, async (tx) => {
		const claimed = await tx
			.update(consultationThreads)
			.set({ escalationLevel: 1, escalatedAt: sql`now()` })
			.where(and(inArray(consultationThreads.id, threadIds), eq(consultationThreads.urgent, true), eq(consultationThreads.escalationLevel, 0), ne(consultationThreads.status, 'closed')))
			.returning({ id: consultationThreads.id, organizationId: consultationThreads.organizationId, createdAt: consultationThreads.createdAt });
		const all: Planned[] = [];
		// A counsellor who typed an urgent phone consultation in knows about it already.
		const typist = scope.kind === 'organization' ? scope.actor.userId : null;
		for (const thread of claimed) {
			const rota = await rotaOf(tx, thread.organizationId);
			const recipients: Recipient[] = rota.length > 0 ? [{ userId: rota[0].userId, role: 'counsellor', onCall: rota[0] }] : (await answeringMembers(tx, thread.organizationId)).map((userId) => ({ userId, role: 'counsellor' as const }));
			all.push(
				...(await planAlerts(
					tx,
					thread,
					{ reason: 'urgent', level: 1, minutes: 0 },
					recipients.filter((r) => r.userId !== typist)
				))
			);
		}
		return all;
	});
	await deliver(scope, planned);
	return planned.length;
}

/** The link to a thread in the staff area (the only thing an alert points at). */
export const threadLink = (thread: { id: string; organizationId: string }) => `${publicOrigin()}/staff/orgs/${thread.organizationId}/consultations/${thread.id}`;

/**
 * Rows (pending) and messages for each recipient: a mail each, and a LINE push for a rota member
 * who linked LINE while a channel is configured. Runs inside the caller's transaction; sending is
 * after it (`deliver`).
 */
export async function planAlerts(tx: Tx, thread: { id: string; organizationId: string }, why: { reason: AlertReason; level: number; minutes: number }, recipients: Recipient[]): Promise<Planned[]> {
	if (recipients.length === 0) return [];
	const people = await peopleByIds(
		tx,
		recipients.map((r) => r.userId)
	);
	const channel = lineChannel();
	const app = translate('ja', 'app.name');
	const organization = recipients.some((r) => r.role === 'secretariat') ? ((await organizationNames(tx, [thread.organizationId])).get(thread.organizationId) ?? '') : '';
	const planned: Planned[] = [];
	for (const r of recipients) {
		const person = people.get(r.userId);
		if (!person) continue;
		const params = { app, link: threadLink(thread), minutes: why.minutes, organization };
		let subject: string, text: string, line: string;
		if (r.role === 'secretariat') {
			subject = translate('ja', 'consult.alert.secretariatSubject', params);
			text = translate('ja', 'consult.alert.secretariatBody', params);
			line = '';
		} else if (why.reason === 'urgent') {
			subject = translate('ja', 'consult.alert.subject', params);
			text = translate('ja', 'consult.alert.body', params);
			line = translate('ja', 'consult.alert.line', params);
		} else {
			subject = translate('ja', 'consult.alert.escalationSubject', params);
			text = translate('ja', 'consult.alert.escalationBody', params);
			line = translate('ja', 'consult.alert.escalationLine', params);
		}
		const [mail] = await tx.insert(consultationAlerts).values({ threadId: thread.id, organizationId: thread.organizationId, recipientUserId: r.userId, reason: why.reason, level: why.level, via: 'mail' }).returning({ id: consultationAlerts.id });
		planned.push({ alertId: mail.id, via: 'mail', to: person.email, subject, text });
		if (channel && line && r.onCall?.lineUserIdSealed) {
			const lineUserId = await lineUserIdOfRota(tx, { rotaId: r.onCall.rotaId, lineUserIdSealed: r.onCall.lineUserIdSealed }, thread.organizationId);
			const [pushed] = await tx.insert(consultationAlerts).values({ threadId: thread.id, organizationId: thread.organizationId, recipientUserId: r.userId, reason: why.reason, level: why.level, via: 'line' }).returning({ id: consultationAlerts.id });
			planned.push({ alertId: pushed.id, via: 'line', to: lineUserId, subject, text: line });
		}
	}
	return planned;
}

/** Send what was planned (outside any transaction) and record how each went. */
export async function deliver(scope: AlertScope, planned: Planned[]): Promise<void> {
	if (planned.length === 0) return;
	const sent: string[] = [];
	const failed: string[] = [];
	for (const p of planned) {
		let ok = false;
		try {
			if (p.via === 'mail') {
				await sendMail({ to: p.to, subject: p.subject, text: p.text });
				ok = true;
			} else {
				const channel = lineChannel();
				const result = channel ? await sendToLine(channel, { userId: p.to }, [p.text], p.alertId) : { ok: false as const, detail: 'no_channel' };
				ok = result.ok;
				if (!result.ok) log.warn('consultation_alert_line_failed', { alertId: p.alertId, detail: result.detail });
			}
		} catch (error) {
			log.warn('consultation_alert_mail_failed', { alertId: p.alertId, message: (error as Error).message });
		}
		(ok ? sent : failed).push(p.alertId);
	}
	await runIn(scope, async (tx) => {
		if (sent.length) await tx.update(consultationAlerts).set({ delivery: 'sent' }).where(inArray(consultationAlerts.id, sent));
		if (failed.length) await tx.update(consultationAlerts).set({ delivery: 'failed' }).where(inArray(consultationAlerts.id, failed));
	});
}
