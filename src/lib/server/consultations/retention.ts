/**
 * Retention: a closed consultation is kept for CONSULTATION_RETENTION_DAYS (default 1095 days,
 * three years) after it was closed, then emptied by a daily job in the platform's context
 * (runtime.ts). What anyone wrote goes — the messages and the counsellors' notes are deleted; the
 * nickname, the contact, the tags, the crisis categories and the assignment are cleared; the
 * private link is replaced by a value no token hashes to, so it opens nothing; the LINE person is
 * unlinked. What the figures count stays on the thread row: organisation, channel, urgent,
 * created_at, first_answered_at, closed_at (and anonymised_at says it was emptied). Alert rows hold
 * no content (who was alerted, when, how) and stay with the thread.
 *
 * LINE people whose threads were all emptied are deleted (their sealed LINE user id with them), and
 * so are those who never wrote and were last seen (followed or unfollowed) before the same cutoff.
 * A person who writes again later is a new pseudonymous person.
 */
import { sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { runIn, type SystemScope } from '../scope';

export const DEFAULT_RETENTION_DAYS = 1095;
/** A sanity bound: a hundred years. */
const MAX_RETENTION_DAYS = 36_500;
const DAY_MS = 86_400_000;

/**
 * CONSULTATION_RETENTION_DAYS: whole days a closed consultation is kept (default 1095). Anything
 * else than a whole number of days from 1 to 36500 stops the start-up with this message.
 */
export function consultationRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.CONSULTATION_RETENTION_DAYS?.trim();
	if (raw === undefined || raw === '') return DEFAULT_RETENTION_DAYS;
	const days = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
		throw new Error(`CONSULTATION_RETENTION_DAYS must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (default ${DEFAULT_RETENTION_DAYS}, three years), not "${env.CONSULTATION_RETENTION_DAYS}"`);
	}
	return days;
}

/** The private link of an emptied thread: not a SHA-256 digest in hex, so no token ever matches it. */
const UNUSABLE_LINK = sql`'anonymised:' || t.id::text`;

export interface RetentionRun {
	/** Threads emptied in this run. */
	threads: number;
	messages: number;
	notes: number;
	linePeople: number;
	/** Threads closed before this instant were emptied. */
	closedBefore: Date;
}

/**
 * Empty every closed thread whose closed_at is more than `days` before `now`, then delete the LINE
 * people left without a thread; one transaction, one audit record with the counts
 * (`consultation.retention`, no ids of people or threads). Run again, it finds nothing new.
 */
export async function emptyExpiredConsultations(scope: SystemScope, input: { now: Date; days: number }): Promise<RetentionRun> {
	const closedBefore = new Date(input.now.getTime() - input.days * DAY_MS);
	return runIn(scope, async (tx) => {
		// Data-modifying CTEs: one statement, one snapshot; the threads are locked first, so a person
		// writing on one at this moment waits for the run and finds it emptied.
		const [emptied] = (
			await tx.execute<{ threads: number; messages: number; notes: number; line_people: string }>(sql`
			with doomed as (
				select id, line_person_id from consultation_threads
				where status = 'closed' and anonymised_at is null and closed_at < ${closedBefore.toISOString()}::timestamptz
				for update
			), messages as (
				delete from consultation_messages m using doomed d where m.thread_id = d.id returning 1
			), notes as (
				delete from consultation_notes n using doomed d where n.thread_id = d.id returning 1
			), threads as (
				update consultation_threads t
				set nickname_sealed = null, contact_sealed = null, tags = '{}', crisis_categories = '{}', assigned_to = null,
					access_digest = ${UNUSABLE_LINK}, line_person_id = null, anonymised_at = ${input.now.toISOString()}::timestamptz
				from doomed d where t.id = d.id
				returning d.line_person_id
			)
			select (select count(*) from threads)::int as threads, (select count(*) from messages)::int as messages, (select count(*) from notes)::int as notes,
				coalesce((select string_agg(distinct line_person_id::text, ',') from threads), '') as line_people`)
		).rows;
		// Now (a new statement sees the unlinking): the people unlinked above who have no thread left,
		// and those who never wrote and were last seen before the cutoff.
		const gone = await tx.execute(sql`
			delete from line_people p
			where not exists (select 1 from consultation_threads t where t.line_person_id = p.id)
				and (p.id = any (string_to_array(${emptied.line_people}, ',')::uuid[])
					or greatest(p.created_at, p.followed_at, p.unfollowed_at) < ${closedBefore.toISOString()}::timestamptz)`);
		const run: RetentionRun = { threads: emptied.threads, messages: emptied.messages, notes: emptied.notes, linePeople: gone.rowCount ?? 0, closedBefore };
		await recordAudit(tx, scope.origin, {
			action: 'consultation.retention',
			entityType: 'retention_run',
			entityId: `threads=${run.threads} messages=${run.messages} notes=${run.notes} line_people=${run.linePeople} closed_before=${closedBefore.toISOString()}`
		});
		return run;
	});
}
