/**
 * What the referral pages send, as zod schemas: the new-referral form and a step on a referral.
 * Messages are i18n keys (src/lib/i18n/ja-referrals.ts); the module's operations check the rules
 * that need the database (consent in force, the 協議会, the recipient) and answer refusals.
 */
import { z } from 'zod';
import { dayInRange, uuid, UUID } from '../boundary';
import { REACH_WAYS, REASON_MAX, REASON_MIN, SHARE_ITEMS, SHARING_BASES, ITEM_VALUE_MAX, type ReachWay, type ShareItem, type SharingBasis } from '../consent';
import { REFERRAL_OUTCOMES, type ReferralOutcome } from './schema';
import { REFERRAL_ACTIONS, type ReferralAction } from './status';

export const NOTE_MAX = 2000;

/** Where a referral starts: one of the organisation's threads or registrations. */
export interface ReferralSourceRef {
	kind: 'consultation' | 'registration';
	id: string;
}

/** The source from the page's query string (?thread=… or ?registration=…), or null. */
export function sourceOf(params: URLSearchParams): ReferralSourceRef | null {
	const thread = params.get('thread');
	const registration = params.get('registration');
	if (thread && !registration && uuid.safeParse(thread).success) return { kind: 'consultation', id: thread.toLowerCase() };
	if (registration && !thread && uuid.safeParse(registration).success) return { kind: 'registration', id: registration.toLowerCase() };
	return null;
}

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
const optionalText = (max: number, key: string) => z.preprocess(blankToNull, z.string().trim().max(max, key).nullable());

export const sendForm = z
	.object({
		to: z.string().regex(UUID, 'referrals.error.to'),
		program: z.preprocess(blankToNull, z.string().regex(UUID, 'referrals.error.program').nullable()),
		items: z.array(z.enum(SHARE_ITEMS, 'referrals.error.items')).min(1, 'referrals.error.items').max(SHARE_ITEMS.length, 'referrals.error.items'),
		sensitive: z.preprocess((v) => v === 'on', z.boolean()),
		basis: z.enum(SHARING_BASES, 'referrals.error.basis'),
		consentId: z.preprocess(blankToNull, z.string().regex(UUID, 'referrals.error.consent').nullable()),
		reason: optionalText(REASON_MAX, 'referrals.error.reason'),
		summary: optionalText(ITEM_VALUE_MAX, 'referrals.error.summaryLong'),
		needs: optionalText(ITEM_VALUE_MAX, 'referrals.error.needsLong'),
		reach: z.preprocess(blankToNull, z.enum(REACH_WAYS, 'referrals.error.reach').nullable()),
		followUpOn: z.preprocess(blankToNull, dayInRange.nullable())
	})
	.superRefine((v, ctx) => {
		if (v.basis === 'consent' && !v.consentId) ctx.addIssue({ code: 'custom', path: ['consentId'], message: 'referrals.error.consent' });
		if (v.basis !== 'consent' && (!v.reason || v.reason.length < REASON_MIN)) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'referrals.error.reason' });
		if (v.items.includes('summary') && !v.summary) ctx.addIssue({ code: 'custom', path: ['summary'], message: 'referrals.error.summary' });
		if (v.items.includes('needs') && !v.needs) ctx.addIssue({ code: 'custom', path: ['needs'], message: 'referrals.error.needs' });
	});

/** Field names of the form, as the page re-renders them. */
export const SEND_FIELDS = ['to', 'program', 'sensitive', 'basis', 'consentId', 'reason', 'summary', 'needs', 'reach', 'followUpOn'] as const;

/** The form's fields as zod reads them (items may be given several times). */
export function sendFormValues(form: FormData): Record<string, unknown> {
	return { ...Object.fromEntries(SEND_FIELDS.map((k) => [k, String(form.get(k) ?? '')])), items: form.getAll('items').map(String) };
}

export interface SendInput {
	source: ReferralSourceRef;
	toOrganizationId: string;
	toProgramId: string | null;
	items: ShareItem[];
	sensitive: boolean;
	basis: SharingBasis;
	consentId: string | null;
	reason: string | null;
	/** The sender's words for the `summary` and `needs` items, when those are sent. */
	summary: string | null;
	needs: string | null;
	/** How to reach the person, when the consent does not say (chosen by staff without consent). */
	reach: ReachWay | null;
	followUpOn: string | null;
}

/** The parsed form as the operation's input. */
export function sendInputOf(source: ReferralSourceRef, v: z.infer<typeof sendForm>): SendInput {
	return {
		source,
		toOrganizationId: v.to.toLowerCase(),
		toProgramId: v.program ? v.program.toLowerCase() : null,
		items: SHARE_ITEMS.filter((i) => v.items.includes(i)),
		sensitive: v.sensitive,
		basis: v.basis,
		consentId: v.basis === 'consent' ? (v.consentId?.toLowerCase() ?? null) : null,
		reason: v.basis === 'consent' ? null : v.reason,
		summary: v.items.includes('summary') ? v.summary : null,
		needs: v.items.includes('needs') ? v.needs : null,
		reach: v.reach,
		followUpOn: v.followUpOn
	};
}

/** A step on a referral: the note is required to decline and to redirect, an outcome to close, an organisation to redirect to. */
export const stepForm = z
	.object({
		action: z.enum(REFERRAL_ACTIONS, 'referrals.error.action'),
		note: optionalText(NOTE_MAX, 'referrals.error.noteLong'),
		outcome: z.preprocess(blankToNull, z.enum(REFERRAL_OUTCOMES, 'referrals.error.outcome').nullable()),
		redirectTo: z.preprocess(blankToNull, z.string().regex(UUID, 'referrals.error.redirectTo').nullable())
	})
	.superRefine((v, ctx) => {
		if ((v.action === 'decline' || v.action === 'redirect') && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'referrals.error.note' });
		if (v.action === 'close' && !v.outcome) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'referrals.error.outcome' });
		if (v.action === 'redirect' && !v.redirectTo) ctx.addIssue({ code: 'custom', path: ['redirectTo'], message: 'referrals.error.redirectTo' });
	});

export interface StepInput {
	referralId: string;
	action: ReferralAction;
	note: string | null;
	outcome: ReferralOutcome | null;
	redirectTo: string | null;
}
