/**
 * The query of the HSDS list paths (page, per_page, search, organization_id, modified_after,
 * taxonomy_id, taxonomy_term_id, parent_id, full, top_only, and ORServices' format, postcode and
 * proximity): checked with zod, so bad input is a 400 with details, never a database error. Each
 * path reads its own part of them (its endpoint contract's query, `hsdsQueryOf`); any other
 * parameter is ignored, as HSDS allows.
 *
 * As the HSDS OpenAPI documents them: `format` is json (the default) or ndjson (every result, one
 * JSON record a line, without pages — /services only); `postcode` is a point a service must
 * cover and `proximity` a distance in metres from that point. tsunagu holds no service areas and
 * no postcode centroids: a postcode stands for its 市区町村 (services with a place there), and with
 * `proximity` for that municipality's centre (services with a place within that distance).
 */
import { z } from 'zod';

export const HSDS_MAX_PER_PAGE = 100;
export const HSDS_DEFAULT_PER_PAGE = 50;
/** The farthest `proximity` asked for, in metres (beyond Japan's length, so no real query is refused). */
export const HSDS_MAX_PROXIMITY_METRES = 3_000_000;

const integer = (min: number, max: number) =>
	z
		.string()
		.regex(/^\d{1,6}$/, 'expected a whole number')
		.transform(Number)
		.pipe(z.number().int().min(min).max(max));

const uuid = z.string().uuid();
const yesNo = z.enum(['true', 'false']);

/** Every parameter a list path may read, each described as the OpenAPI documents state it (api/hsds-contracts.ts). */
export const hsdsQuery = z.object({
	page: integer(1, 100_000).optional().describe('Page number of the paginated result (from 1).'),
	per_page: integer(1, HSDS_MAX_PER_PAGE).optional().describe(`Number of results in one page (1–${HSDS_MAX_PER_PAGE}, ${HSDS_DEFAULT_PER_PAGE} by default).`),
	search: z
		.string()
		.max(200)
		// eslint-disable-next-line no-control-regex
		.regex(/^[^\u0000-\u001f\u007f]*$/, 'control characters are not allowed')
		.optional()
		.describe('Text the name or description contains (case and width folded).'),
	organization_id: uuid.optional().describe('Only the services of this organization.'),
	modified_after: z
		.union([z.string().datetime({ offset: true }), z.string().date()])
		.optional()
		.describe('Only records modified on or after this date-time (with offset), or this date (its start in Japan).'),
	taxonomy_id: uuid.optional().describe('Only services with any term of this taxonomy (on /taxonomy_terms: only its terms).'),
	taxonomy_term_id: uuid.optional().describe('Only services with this taxonomy term.'),
	parent_id: uuid.optional().describe('Only the terms under this term (tsunagu’s taxonomies are flat: none).'),
	full: yesNo.optional().describe('true: fully nested records instead of their one-to-one fields.'),
	top_only: yesNo.optional().describe('true: only top-level terms (every term of tsunagu’s flat taxonomies is one).'),
	format: z.enum(['json', 'ndjson']).optional().describe('json (the default), or ndjson on /services: every result, one JSON record a line, without pages (application/x-ndjson); elsewhere ndjson is refused (code unsupported_format).'),
	postcode: z
		.string()
		.regex(/^〒?\d{3}-?\d{4}$/, 'expected a Japanese postcode such as 160-0023')
		.optional()
		.describe('A Japanese postcode (160-0023): only services with a place in its 市区町村, or within `proximity` of its municipality’s centre. A postcode the registry does not know is refused (code unknown_postcode).'),
	proximity: z
		.string()
		.regex(/^\d{1,7}$/, 'expected a whole number of metres')
		.transform(Number)
		.pipe(z.number().int().min(1).max(HSDS_MAX_PROXIMITY_METRES))
		.optional()
		.describe('Metres from the postcode’s point (needs postcode, code missing_postcode).')
});

type HsdsQueryShape = typeof hsdsQuery.shape;

/**
 * The query schema of one list path: the parameters it reads (others are ignored, as HSDS allows).
 * Typed as a part of hsdsQuery's shape (the keys are only known when called).
 */
export const hsdsQueryOf = (...keys: Array<keyof HsdsQueryShape>) => hsdsQuery.pick(Object.fromEntries(keys.map((k) => [k, true])) as { [P in keyof HsdsQueryShape]?: true });

export interface HsdsQuery {
	page: number;
	perPage: number;
	search?: string;
	organizationId?: string;
	/** Only records modified on or after this instant (a date means its start in Japan). */
	modifiedAfter?: Date;
	taxonomyId?: string;
	taxonomyTermId?: string;
	parentId?: string;
	full: boolean;
	format: 'json' | 'ndjson';
	postcode?: string;
	/** Metres from the postcode's point. */
	proximity?: number;
}

export type HsdsQueryResult = { ok: true; query: HsdsQuery } | { ok: false; errors: Array<{ param: string; code: string; message: string }> };

/**
 * `schema`: the path's own query schema (its endpoint contract's, made by `hsdsQueryOf`; every
 * parameter by default): a parameter it does not name is ignored like any unknown one. `ndjson`:
 * the path streams every result as NDJSON on `format=ndjson` (elsewhere that is a 400).
 */
export function parseHsdsQuery(params: URLSearchParams, options: { ndjson?: boolean; schema?: z.ZodObject } = {}): HsdsQueryResult {
	const schema = options.schema ?? hsdsQuery;
	const raw: Record<string, string> = {};
	for (const key of Object.keys(schema.shape)) {
		const value = params.get(key);
		if (value !== null && value !== '') raw[key] = value;
	}
	const parsed = schema.safeParse(raw);
	if (!parsed.success) return { ok: false, errors: parsed.error.issues.slice(0, 10).map((i) => ({ param: i.path.map(String).join('.'), code: i.code, message: i.message })) };
	// A path's schema is a pick of hsdsQuery (hsdsQueryOf): its output is a part of hsdsQuery's.
	const q = parsed.data as Partial<z.output<typeof hsdsQuery>>;
	const errors = [];
	if (q.format === 'ndjson' && !options.ndjson) errors.push({ param: 'format', code: 'unsupported_format', message: 'format=ndjson is offered on /services only' });
	if (q.proximity !== undefined && q.postcode === undefined) errors.push({ param: 'proximity', code: 'missing_postcode', message: 'proximity is a distance from a postcode: give postcode too' });
	if (errors.length) return { ok: false, errors };
	return {
		ok: true,
		query: {
			page: q.page ?? 1,
			perPage: q.per_page ?? HSDS_DEFAULT_PER_PAGE,
			search: q.search?.trim() || undefined,
			organizationId: q.organization_id,
			modifiedAfter: q.modified_after ? new Date(q.modified_after.length === 10 ? `${q.modified_after}T00:00:00+09:00` : q.modified_after) : undefined,
			taxonomyId: q.taxonomy_id,
			taxonomyTermId: q.taxonomy_term_id,
			parentId: q.parent_id,
			full: q.full === 'true',
			format: q.format ?? 'json',
			postcode: q.postcode,
			proximity: q.proximity
		}
	};
}
