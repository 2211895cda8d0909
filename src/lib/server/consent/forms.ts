/**
 * The consent module's forms as zod schemas: what a counsellor proposes or notes, what the person
 * answers, what they ask an organisation. Each message is an i18n key (src/lib/i18n/ja-consent.ts),
 * so a form comes back with Japanese words under the field that was wrong.
 */
import { z } from 'zod';
import { isDayInRange } from '../boundary';
import { REACH_WAYS, SHARE_ITEMS, SUBJECT_REQUEST_KINDS } from './schema';

export const PURPOSE_MAX = 500;
export const NAME_MAX = 60;
export const CONTACT_MAX = 200;
export const REQUEST_MAX = 2000;

const blankToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v);

const recipient = {
	recipientOrganizationId: z.guid({ message: 'consent.error.recipient' }),
	recipientProgramId: z.preprocess(blankToNull, z.guid({ message: 'consent.error.program' }).nullable()),
	items: z
		.array(z.enum(SHARE_ITEMS, { message: 'consent.error.items' }), { message: 'consent.error.items' })
		.min(1, 'consent.error.items')
		.transform((items) => SHARE_ITEMS.filter((i) => items.includes(i))),
	purpose: z.string({ message: 'consent.error.purpose' }).trim().min(1, 'consent.error.purpose').max(PURPOSE_MAX, 'consent.error.purpose'),
	validUntil: z.preprocess(blankToNull, z.string().refine(isDayInRange, 'consent.error.validUntil').nullable())
};

/** A counsellor's proposal (相談から: この団体に伝えてよいか、本人に聞く). */
export const proposalInput = z.object(recipient);
export type ProposalInput = z.infer<typeof proposalInput>;

const person = {
	name: z.preprocess(blankToNull, z.string().trim().max(NAME_MAX, 'consent.error.name').nullable()),
	contact: z.preprocess(blankToNull, z.string().trim().max(CONTACT_MAX, 'consent.error.contact').nullable()),
	reach: z.enum(REACH_WAYS, { message: 'consent.error.reach' })
};

/** Staff note a consent given on paper or spoken, with what the person gave. */
export const recordInput = z.object({ ...recipient, via: z.enum(['paper', 'spoken'], { message: 'consent.error.via' }), ...person });
export type RecordInput = z.infer<typeof recordInput>;

/** The person's yes (with their name, contact, how to be reached) or no. */
export const answerInput = z.discriminatedUnion('answer', [z.object({ answer: z.literal('give'), consentId: z.guid({ message: 'consent.error.consent' }), ...person }), z.object({ answer: z.literal('refuse'), consentId: z.guid({ message: 'consent.error.consent' }) })], {
	message: 'consent.error.answer'
});
export type AnswerInput = z.infer<typeof answerInput>;

export const consentIdInput = z.object({ consentId: z.guid({ message: 'consent.error.consent' }) });
export const staffWithdrawInput = z.object({ consentId: z.guid({ message: 'consent.error.consent' }), via: z.enum(['paper', 'spoken'], { message: 'consent.error.via' }) });

/** The person asks an organisation (開示・訂正・削除・利用停止). */
export const subjectRequestInput = z.object({
	organizationId: z.guid({ message: 'consent.error.requestOrganization' }),
	kind: z.enum(SUBJECT_REQUEST_KINDS, { message: 'consent.error.requestKind' }),
	body: z.string({ message: 'consent.error.requestBody' }).trim().min(1, 'consent.error.requestBody').max(REQUEST_MAX, 'consent.error.requestBody')
});
export type SubjectRequestInput = z.infer<typeof subjectRequestInput>;

/** A form's fields as strings (and the checkboxes as lists) for zod. */
export function formValues(form: FormData, fields: readonly string[], lists: readonly string[] = []): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const f of fields) values[f] = form.has(f) ? String(form.get(f)) : undefined;
	for (const f of lists) values[f] = form.getAll(f).map(String);
	return values;
}

/** A refusal of a staff consent form as the field it belongs under (message keys); null for the ones that are a 403/404. */
export function refusalField(reason: string): Record<string, string> | null {
	const fields: Record<string, Record<string, string>> = {
		own_organization: { recipientOrganizationId: 'consent.error.ownOrganization' },
		unknown_recipient: { recipientOrganizationId: 'consent.error.unknownRecipient' },
		unknown_program: { recipientProgramId: 'consent.error.unknownProgram' },
		past_date: { validUntil: 'consent.error.pastDate' },
		name_required: { name: 'consent.error.nameRequired' },
		contact_required: { contact: 'consent.error.contactRequired' },
		not_given: { consentId: 'consent.error.notGiven' }
	};
	return fields[reason] ?? null;
}
