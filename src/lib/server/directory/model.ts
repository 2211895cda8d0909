/** Input shapes for the directory, one zod schema each; types are inferred from them. */
import { z } from 'zod';
import { codes, taxonomy } from './taxonomy';
import { isValidDay, isValidTime, parseRecurrence } from './schedule';

const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
const day = z.string().refine(isValidDay, 'YYYY-MM-DD');
const time = z.string().refine(isValidTime, 'HH:MM');
const text = (max: number) => z.string().trim().max(max);
const languageCodes = taxonomy.languages.map((l) => l.code) as [string, ...string[]];
export const PROGRAM_AUDIENCES = ['residents', 'supporters'] as const;

export const scheduleInput = z
	.object({
		rrule: z
			.string()
			.nullable()
			.refine((r) => r === null || parseRecurrence(r).ok, 'unsupported RRULE'),
		dtstart: day,
		until: day.nullable().optional(),
		count: z.number().int().min(1).max(1000).nullable().optional(),
		exdates: z.array(day).optional(),
		opensAt: time.nullable(),
		closesAt: time.nullable(),
		closedOnHolidays: z.boolean(),
		note: text(200).nullable()
	})
	.refine((s) => !s.opensAt || !s.closesAt || s.opensAt < s.closesAt, { message: 'closesAt must be after opensAt', path: ['closesAt'] })
	.refine((s) => s.rrule !== null || !!s.note, { message: 'a schedule without a rule needs a note', path: ['note'] });

export const locationInput = z.object({
	name: text(120).min(1),
	prefecture: text(10).min(2),
	city: text(40).min(1).nullable(),
	line: text(200).nullable(),
	postalCode: z
		.string()
		.regex(/^\d{3}-?\d{4}$/)
		.nullable(),
	lat: z.number().min(20).max(46).nullable(),
	lng: z.number().min(122).max(154).nullable(),
	accessibility: text(500).nullable(),
	transport: text(500).nullable(),
	/** The coordinates are a representative point of the 市区町村 (geocoded), not the place itself. */
	approximate: z.boolean().optional()
});

export const programInput = z.object({
	slug: z.string().regex(/^[a-z0-9-]{3,80}$/),
	title: text(120).min(1),
	summary: text(200),
	description: text(3000),
	forms: z.array(z.enum(codes('forms'))).min(1),
	targets: z.array(z.enum(codes('targets'))),
	lifeStages: z.array(z.enum(codes('lifeStages'))),
	/** Whom it is for: residents (the default), or supporters and professionals (network meetings, 研修, 月例会). */
	audience: z.enum(PROGRAM_AUDIENCES).optional(),
	partnershipType: z.enum(['public_private', 'private_private']).nullable(),
	partners: z.array(z.object({ name: text(120).min(1), role: text(60).nullable() })),
	cost: z.object({
		kind: z.enum(['free', 'pay_what_you_can', 'fixed', 'unknown']),
		amountYen: z.number().int().min(0).max(1_000_000).nullable(),
		note: text(200).nullable()
	}),
	joinMethod: z.enum(['no_registration', 'reservation', 'membership', 'referral_only', 'unknown']),
	joinNote: text(300).nullable(),
	firstTimeNote: text(500).nullable(),
	languages: z.array(z.enum(languageCodes)).min(1),
	deliveryMode: z.enum(['in_person', 'online', 'both']),
	status: z.enum(['active', 'ended', 'planned']),
	periodStart: yearMonth.nullable(),
	periodEnd: yearMonth.nullable(),
	outcomes: text(1000).nullable(),
	contact: z.object({
		phone: z
			.string()
			.regex(/^[0-9+()-]{6,20}$/)
			.nullable(),
		email: z.string().email().nullable(),
		url: z.string().url().nullable()
	}),
	locations: z.array(locationInput), // empty for nationwide or online-only programs
	schedules: z.array(scheduleInput)
});

export const organizationInput = z.object({
	slug: z.string().regex(/^[a-z0-9-]{3,80}$/),
	name: text(120).min(1),
	nameKana: text(200).nullable(),
	legalForm: z.enum(codes('legalForms')).nullable(),
	representative: text(120).nullable(),
	founded: yearMonth.nullable(),
	address: z.object({
		prefecture: text(10).nullable(),
		city: text(40).nullable(),
		line: text(200).nullable(),
		postalCode: z
			.string()
			.regex(/^\d{3}-?\d{4}$/)
			.nullable()
	}),
	website: z.string().url().nullable(),
	message: text(400).nullable(),
	description: text(2000),
	source: z.object({ file: z.string(), title: z.string() }).nullable(),
	programs: z.array(programInput).min(1)
});

export const datasetInput = z.object({ organizations: z.array(organizationInput) });

export type ScheduleInput = z.infer<typeof scheduleInput>;
export type LocationInput = z.infer<typeof locationInput>;
export type ProgramInput = z.infer<typeof programInput>;
export type OrganizationInput = z.infer<typeof organizationInput>;
export type DatasetInput = z.infer<typeof datasetInput>;
