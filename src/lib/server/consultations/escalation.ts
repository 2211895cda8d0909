/**
 * The escalation job (every minute, runtime.ts, under runExclusive): an urgent thread that nobody
 * has opened (first_opened_at is set by openThread), not closed, whose last alert is older than its
 * organisation's escalation minutes, goes one level further — to the next person on the rota and
 * to the secretariat's admins, who cannot read it (row-level security) and phone the organisation.
 *
 * Levels: 1 = the on-call counsellor (alerts.ts), n = the rota's n-th person. The secretariat is
 * told at every escalation. It stops after the rota's last person, and in any case after level 2
 * (with no rota or a rota of one, the secretariat is told once). The thread stays first in the inbox.
 *
 * `now` is a parameter, so the test runs the job with a fake clock. An urgent thread still at level
 * 0 (its process died between the commit and the first alert) is alerted here first.
 */
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { secretariatUserIds } from '../network';
import { runIn, type SystemScope } from '../scope';
import { deliver, planAlerts, raiseUrgentAlerts, type Recipient } from './alerts';
import { THREAD_ENTITY } from './intake';
import { ESCALATION_MINUTES_DEFAULT, rotaOf } from './rota';
import { consultationThreads } from './schema';

export interface EscalationRun {
	/** Threads alerted for the first time (missed before). */
	alerted: number;
	/** Threads escalated one level. */
	escalated: number;
}

export async function escalateUnopened(scope: SystemScope, now: Date = new Date()): Promise<EscalationRun> {
	const t = consultationThreads;
	const unopened = and(eq(t.urgent, true), isNull(t.firstOpenedAt), ne(t.status, 'closed'));
	const missed = await runIn(scope, (tx) =>
		tx
			.select({ id: t.id })
			.from(t)
			.where(and(unopened, eq(t.escalationLevel, 0)))
	);
	if (missed.length)
		await raiseUrgentAlerts(
			scope,
			missed.map((m) => m.id)
		);
	const due = await runIn(scope, async (tx) => {
		const rows = await tx.execute<{ id: string }>(sql`
			select t.id from consultation_threads t
			left join consultation_settings s on s.organization_id = t.organization_id
			where t.urgent and t.first_opened_at is null and t.status <> 'closed' and t.escalation_level >= 1
				and coalesce(t.escalated_at, t.created_at) <= ${now.toISOString()}::timestamptz - make_interval(mins => coalesce(s.escalation_minutes, ${ESCALATION_MINUTES_DEFAULT}))
			order by t.created_at`);
		return rows.rows.map((r) => r.id);
	});
	let escalated = 0;
	for (const id of due) if (await escalateOne(scope, id, now)) escalated++;
	return { alerted: missed.length, escalated };
}

/** One thread one level up, if it is still due (checked again under its row lock). */
async function escalateOne(scope: SystemScope, threadId: string, now: Date): Promise<boolean> {
	const t = consultationThreads;
	const planned = await runIn(scope, async (tx) => {
		const [thread] = await tx
			.select()
			.from(t)
			.where(and(eq(t.id, threadId), eq(t.urgent, true), isNull(t.firstOpenedAt), ne(t.status, 'closed')))
			.for('update');
		if (!thread || thread.escalationLevel < 1) return null;
		const rota = await rotaOf(tx, thread.organizationId);
		const level = thread.escalationLevel + 1;
		if (level > Math.max(2, rota.length)) return null;
		const next = rota[level - 1];
		const recipients: Recipient[] = next ? [{ userId: next.userId, role: 'counsellor', onCall: next }] : [];
		for (const userId of await secretariatUserIds(tx)) if (userId !== next?.userId) recipients.push({ userId, role: 'secretariat' });
		const minutes = Math.max(0, Math.floor((now.getTime() - thread.createdAt.getTime()) / 60_000));
		const alerts = await planAlerts(tx, thread, { reason: 'escalation', level, minutes }, recipients);
		await tx.update(t).set({ escalationLevel: level, escalatedAt: now }).where(eq(t.id, thread.id));
		await recordAudit(tx, scope.origin, { action: 'consultation.escalate', organizationId: thread.organizationId, entityType: THREAD_ENTITY, entityId: thread.id, changedFields: ['escalation_level'] });
		return alerts;
	});
	if (!planned) return false;
	await deliver(scope, planned);
	return true;
}
