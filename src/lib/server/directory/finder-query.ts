/**
 * The finder's parameters, shared by the results page, the JSON API and the OpenAPI document
 * (each field's description is its query parameter's there).
 * Unknown or malformed values are rejected with a reason (never silently dropped), so a link
 * with a typo says so instead of showing the wrong programs.
 */
import { z } from 'zod';
import { codes, taxonomy } from './taxonomy';
import { WEEKDAY_CODES } from './schedule';

export const MAX_QUERY_LENGTH = 200;

const flag = z
	.enum(['1', 'true', 'on', '0', 'false', 'off', ''])
	.transform((v) => v === '1' || v === 'true' || v === 'on')
	.optional();

const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.transform((v) => v || undefined)
		.optional();

const languageCodes = taxonomy.languages.map((l) => l.code) as [string, ...string[]];

const finderFields = z.object({
	q: optionalText(MAX_QUERY_LENGTH).describe('Free text in Japanese or English (kana/kanji/width variants and synonyms are matched). At most 200 characters.'),
	life_stage: z.enum(codes('lifeStages')).optional().describe('Life stage code (taxonomy life_stage). Programs for any age (all_ages) are included.'),
	prefecture: optionalText(10).describe('都道府県, e.g. 東京都.'),
	city: optionalText(40).describe('市区町村, e.g. 世田谷区.'),
	form: z.enum(codes('forms')).optional().describe('取組のかたち code (taxonomy form).'),
	target: z.enum(codes('targets')).optional().describe('届けたい人たち code (taxonomy target).'),
	weekday: z.enum(WEEKDAY_CODES).optional().describe('RFC 5545 weekday: MO TU WE TH FR SA SU.'),
	when: z.enum(['now', 'today', 'weekend', 'next7']).optional().describe('now (meeting at this moment), today, weekend (this Saturday and Sunday) or next7, in Asia/Tokyo, by next occurrence. Programs whose dates are not known follow the dated ones, with schedule_known false.'),
	free: flag.describe('Only free programs (1/true).'),
	no_registration: flag.describe('Only programs that need no booking (1/true).'),
	language: z.enum(languageCodes).optional().describe('Language code.'),
	online: flag.describe('Only programs one can join online (1/true).'),
	lat: z.coerce.number().min(-90).max(90).optional().describe('Latitude to measure distance from. lat and lng go together: both or neither (else 400 with code lat_lng_pair).'),
	lng: z.coerce.number().min(-180).max(180).optional().describe('Longitude to measure distance from. lat and lng go together: both or neither (else 400 with code lat_lng_pair).'),
	near: optionalText(60).describe('A place name (市区町村 or 都道府県) to measure distance from.'),
	radius: z.enum(['5', '10', '30', 'pref']).optional().describe('With a place: how far to look, in km from it (programs in the named 市区町村 or prefecture count whatever their distance), or the place’s whole prefecture. Default 10.'),
	sort: z.enum(['relevance', 'next', 'distance']).optional().describe('relevance (default with q), next (default without q), or distance.'),
	audience: z
		.enum(['residents', 'supporters', 'all'])
		.optional()
		.describe('Whom the programs are for. Absent or residents: programs for residents, with the number of supporters’ programs that also match beside them (supporters_total); supporters: network meetings, 研修 and the like for supporters and professionals; all: both.'),
	page: z.coerce.number().int().min(1).max(500).default(1).describe('Page number, from 1.'),
	per_page: z.coerce.number().int().min(1).max(100).default(20).describe('Items per page, 1–100.')
});

/**
 * The query: its fields, and lat/lng given together or not at all (in the OpenAPI document as
 * JSON Schema's dependentRequired).
 */
export const finderQuery = finderFields
	.superRefine((v, ctx) => {
		if ((v.lat === undefined) !== (v.lng === undefined)) {
			ctx.addIssue({ code: 'custom', path: [v.lat === undefined ? 'lat' : 'lng'], message: 'lat and lng go together', params: { code: 'lat_lng_pair' } });
		}
	})
	.meta({ dependentRequired: { lat: ['lng'], lng: ['lat'] } });

export type FinderQuery = z.infer<typeof finderQuery>;

export const finderParamNames = Object.keys(finderFields.shape) as Array<keyof FinderQuery>;

export type ParseResult = { ok: true; query: FinderQuery } | { ok: false; errors: Array<{ param: string; code: string; message: string }> };

/**
 * The same search at its clean address, or null when it has one already: a plain GET form sends
 * every field, filled or not (the home page's 「…&near=」, the filter panel's fifteen), and without
 * JavaScript a form cannot leave a field out. Empty values count as absent (parseFinderParams), so
 * dropping them changes nothing but the address a resident shares or bookmarks.
 */
export function withoutEmptyParams(params: URLSearchParams): URLSearchParams | null {
	const kept = [...params].filter(([, value]) => value !== '');
	return kept.length === [...params].length ? null : new URLSearchParams(kept);
}

/** Parse URL search params; empty values count as absent (plain HTML forms send them). */
export function parseFinderParams(params: URLSearchParams): ParseResult {
	const raw: Record<string, string> = {};
	const errors: Array<{ param: string; code: string; message: string }> = [];
	for (const [key, value] of params) {
		if (!(finderParamNames as string[]).includes(key)) continue;
		if (key in raw) {
			errors.push({ param: key, code: 'repeated', message: `${key} may be given once` });
			continue;
		}
		if (value === '' && key !== 'q') continue;
		raw[key] = value;
	}
	const parsed = finderQuery.safeParse(raw);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const code = issue.code === 'custom' && typeof issue.params?.code === 'string' ? issue.params.code : issue.code;
			errors.push({ param: String(issue.path[0] ?? ''), code, message: issue.message });
		}
	}
	if (errors.length || !parsed.success) return { ok: false, errors };
	return { ok: true, query: parsed.data };
}
