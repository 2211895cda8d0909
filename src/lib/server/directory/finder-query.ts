/**
 * The finder's parameters, shared by the results page, the JSON API and the OpenAPI document.
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
	q: optionalText(MAX_QUERY_LENGTH),
	life_stage: z.enum(codes('lifeStages')).optional(),
	prefecture: optionalText(10),
	city: optionalText(40),
	form: z.enum(codes('forms')).optional(),
	target: z.enum(codes('targets')).optional(),
	weekday: z.enum(WEEKDAY_CODES).optional(),
	when: z.enum(['now', 'today', 'weekend', 'next7']).optional(),
	free: flag,
	no_registration: flag,
	language: z.enum(languageCodes).optional(),
	online: flag,
	lat: z.coerce.number().min(-90).max(90).optional(),
	lng: z.coerce.number().min(-180).max(180).optional(),
	/** A place name ("東京都/世田谷区" or "世田谷区") to measure distance from. */
	near: optionalText(60),
	/**
	 * With a place: how far to look, in km from it (programs in the named 市区町村 or prefecture
	 * count whatever their distance), or the place's whole prefecture. Default 10.
	 */
	radius: z.enum(['5', '10', '30', 'pref']).optional(),
	sort: z.enum(['relevance', 'next', 'distance']).optional(),
	/**
	 * Whom the programs are for. Absent or `residents`: programs for residents, with the number of
	 * supporters' programs that also match beside them; `supporters`: network meetings, 研修 and
	 * the like for supporters and professionals; `all`: both.
	 */
	audience: z.enum(['residents', 'supporters', 'all']).optional(),
	page: z.coerce.number().int().min(1).max(500).default(1),
	per_page: z.coerce.number().int().min(1).max(100).default(20)
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
