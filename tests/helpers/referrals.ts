/**
 * Referrals placed directly in the database (as the owner, a superuser here, so past row-level
 * security) with the statuses and times a test needs: the queue job and the figures read only these
 * columns, and the sending and receiving operations are tested with their own module code.
 */
import type pg from 'pg';
import { randomUUID } from 'node:crypto';

export interface ReferralRow {
	from: string;
	to: string;
	referredBy?: string;
	status?: 'sent' | 'accepted' | 'declined' | 'redirected' | 'first_contact' | 'ongoing' | 'completed' | 'closed';
	outcome?: 'got_help' | 'could_not_reach' | 'no_capacity' | 'no_longer_wanted' | null;
	createdAt: Date;
	/** Default: createdAt (or acceptedAt / firstContactAt / closedAt, the latest given). */
	statusChangedAt?: Date;
	acceptedAt?: Date | null;
	firstContactAt?: Date | null;
	closedAt?: Date | null;
	followUpOn?: string | null;
}

/** A data subject of `from` and a referral of it to `to` (basis vital_interest: no consent row needed); its id. */
export async function insertReferral(admin: pg.Client, r: ReferralRow): Promise<string> {
	const subject = (await admin.query(`insert into data_subjects (organization_id, source_kind, source_id) values ($1, 'consultation', $2) returning id`, [r.from, randomUUID()])).rows[0].id as string;
	const changed = r.statusChangedAt ?? [r.closedAt, r.firstContactAt, r.acceptedAt, r.createdAt].find((d) => d) ?? r.createdAt;
	const { rows } = await admin.query(
		`insert into referrals (subject_id, from_organization_id, to_organization_id, source_kind, referred_by, status, outcome, contact_preference, basis, items,
			created_at, status_changed_at, accepted_at, first_contact_at, closed_at, follow_up_on)
		values ($1, $2, $3, 'staff', $4, $5, $6, 'phone', 'vital_interest', '{name}', $7, $8, $9, $10, $11, $12) returning id`,
		[subject, r.from, r.to, r.referredBy ?? randomUUID(), r.status ?? 'sent', r.outcome ?? null, r.createdAt, changed, r.acceptedAt ?? null, r.firstContactAt ?? null, r.closedAt ?? null, r.followUpOn ?? null]
	);
	return rows[0].id as string;
}

/** Move a referral on (as the receiving side would), at `at`. */
export async function moveReferral(admin: pg.Client, id: string, status: NonNullable<ReferralRow['status']>, at: Date): Promise<void> {
	const column = status === 'accepted' ? ', accepted_at = $3' : status === 'first_contact' ? ', first_contact_at = $3' : '';
	await admin.query(`update referrals set status = $2, status_changed_at = $3${column} where id = $1`, [id, status, at]);
}
