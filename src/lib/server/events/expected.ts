/**
 * The door's list of a date (the paper sign-in sheet): who is expected — registered, with group
 * size and what they asked us to know (their needs and their answers to the program's questions, such
 * as each child's allergy) — and who has arrived. Names, needs and answers are decrypted only when the
 * caller may see registrations (`withNames`); a volunteer at the door sees 受付番号, group sizes and
 * arrivals.
 */
import { and, asc, eq } from 'drizzle-orm';
import { decryptText } from '../crypto';
import type { Tx } from '../scope';
import { registrations } from './schema';
import { registrationAtDoor } from './registrations';
import { answersOfDocument, type Answer } from './answers';

export interface ExpectedPerson {
	registrationId: string;
	reference: string;
	/** Null when names are not to be shown. */
	name: string | null;
	needs: string | null;
	/** Their answers to the program's questions; none when names are not to be shown. */
	answers: Answer[];
	groupSize: number;
	arrivedAt: Date | null;
}

const open = (tx: Tx<'organization' | 'system'>, sealed: string, column: string, r: { id: string; organizationId: string }) => decryptText(tx, sealed, { table: 'registrations', column, rowId: r.id, organizationId: r.organizationId });

/** The registered people of one of the organisation's dates, in registration order. */
export async function expectedAt(tx: Tx<'organization'>, organizationId: string, occurrenceId: string, withNames: boolean): Promise<ExpectedPerson[]> {
	const rows = await tx
		.select()
		.from(registrations)
		.where(and(eq(registrations.organizationId, organizationId), eq(registrations.occurrenceId, occurrenceId), eq(registrations.status, 'registered')))
		.orderBy(asc(registrations.createdAt), asc(registrations.id));
	return Promise.all(
		rows.map(async (r) => ({
			registrationId: r.id,
			reference: r.referenceCode,
			name: withNames ? await open(tx, r.nameSealed, 'name_sealed', r) : null,
			needs: withNames && r.needsSealed ? await open(tx, r.needsSealed, 'needs_sealed', r) : null,
			answers: withNames && r.answersSealed ? answersOfDocument(await open(tx, r.answersSealed, 'answers_sealed', r)) : [],
			groupSize: r.groupSize,
			arrivedAt: r.attendedAt
		}))
	);
}

/** A registration of the organisation by id, shaped as `registrationByReference` answers (one tap on the list). */
export async function registrationForArrival(tx: Tx<'organization'>, organizationId: string, registrationId: string) {
	return registrationAtDoor(tx, organizationId, eq(registrations.id, registrationId));
}
