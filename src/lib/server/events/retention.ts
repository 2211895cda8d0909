/**
 * Retention: a registration — name, contact, needs and the answers to the program's questions,
 * some of them health data (allergies) — is kept for REGISTRATION_RETENTION_DAYS (default 90)
 * after its date ended, then deleted by a daily job in the platform's context (runtime.ts). The
 * attendance stays: a visit keeps its program, day and head count and loses only its link to the
 * registration (visits.registration_id is ON DELETE SET NULL); the notices sent about it go with it.
 */
import { sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { runIn, type SystemScope } from '../scope';

export const DEFAULT_REGISTRATION_RETENTION_DAYS = 90;
/** A sanity bound: ten years. */
const MAX_RETENTION_DAYS = 3650;
const DAY_MS = 86_400_000;

/**
 * REGISTRATION_RETENTION_DAYS: whole days a registration is kept after its date ended (default
 * 90). Anything else than a whole number of days from 1 to 3650 stops the start-up with this message.
 */
export function registrationRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
	const raw = env.REGISTRATION_RETENTION_DAYS?.trim();
	if (raw === undefined || raw === '') return DEFAULT_REGISTRATION_RETENTION_DAYS;
	const days = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
		throw new Error(`REGISTRATION_RETENTION_DAYS must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (default ${DEFAULT_REGISTRATION_RETENTION_DAYS}), not "${env.REGISTRATION_RETENTION_DAYS}"`);
	}
	return days;
}

export interface RegistrationRetentionRun {
	/** Registrations deleted in this run. */
	registrations: number;
	/** Registrations of dates that ended before this instant were deleted. */
	endedBefore: Date;
}

/**
 * Delete every registration whose date ended more than `days` before `now` (a date without an end
 * counts as two hours long, as the calendar does); one statement, one audit record with the count
 * (`registration.retention`, no ids of people or registrations). Run again, it finds nothing new.
 */
export async function deleteExpiredRegistrations(scope: SystemScope, input: { now: Date; days: number }): Promise<RegistrationRetentionRun> {
	const endedBefore = new Date(input.now.getTime() - input.days * DAY_MS);
	return runIn(scope, async (tx) => {
		const gone = await tx.execute(sql`
			delete from registrations r using occurrences o
			where o.id = r.occurrence_id
				and coalesce(o.ends_at, o.starts_at + interval '2 hours') < ${endedBefore.toISOString()}::timestamptz`);
		const run: RegistrationRetentionRun = { registrations: gone.rowCount ?? 0, endedBefore };
		await recordAudit(tx, scope.origin, { action: 'registration.retention', entityType: 'retention_run', entityId: `registrations=${run.registrations} ended_before=${endedBefore.toISOString()}` });
		return run;
	});
}
