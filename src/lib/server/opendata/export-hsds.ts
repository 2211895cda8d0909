/**
 * The whole published directory as one HSDS 3.0 document, in two files: HSDS JSON (every
 * published organisation, fully nested with its services, contacts and locations, and the
 * taxonomies) and HSDS tabular (one CSV per HSDS table in a zip, described by a Frictionless
 * `datapackage.json`). Both come from the same records as the /api/hsds/ answers (hsds.ts), so
 * the API and the downloads agree. Rendering is a pure function of the records and the time of
 * export: the same directory at the same time gives the same bytes (exports.ts relies on it to
 * tell whether anything changed).
 */
import { createHash } from 'node:crypto';
// fflate: maintained, no dependencies, its own types, and synchronous and deterministic — the same
// files at the same time give the same zip, which exports.ts relies on to see that nothing changed.
import { zipSync, strToU8 } from 'fflate';
import type { Tx } from '../db';
import { getOrganizations, getPrograms, type ProgramDetail } from '../directory';
import { hsdsOrganization, HSDS_VERSION, type Json } from './hsds';
import { allTaxonomies, allTerms, type HsdsTaxonomy, type HsdsTaxonomyTerm } from './hsds-taxonomy';
import tables from './hsds-tables.json';
import type { DirectoryLicence } from './licence';

/**
 * HSDS's tabular data package: every table in HSDS order with its file name, its fields (names,
 * order, Frictionless types, required/unique/enum) and keys, as Open Referral's schema tools derive
 * them from the HSDS 3.0 schemas (regenerated from ../shared/standards/hsds-3.0; checked against
 * them in export-hsds.test.ts). HSDS's descriptions are left out (they are the specification's text).
 */
export const HSDS_TABLES: readonly HsdsTable[] = tables as HsdsTable[];

export interface HsdsField {
	name: string;
	type: 'string' | 'number' | 'date' | 'time' | 'datetime';
	format?: string;
	constraints: { required: boolean; unique: boolean; enum?: string[] };
}

export interface HsdsTable {
	name: string;
	path: string;
	format: string;
	mediatype: string;
	profile: string;
	schema: { fields: HsdsField[]; primaryKey: string; foreignKeys?: Array<{ fields: string; reference: { resource: string; fields: string } }> };
}

/** The published directory as HSDS records. */
export interface HsdsDirectory {
	organizations: Json[];
	taxonomies: HsdsTaxonomy[];
	terms: HsdsTaxonomyTerm[];
}

/** What every export states about itself. */
export interface ExportMeta {
	created: Date;
	/** Where the directory is published (the site's origin). */
	origin: string;
	title: string;
	/** The directory's licence (the secretariat's choice); the files state its Japanese page. */
	licence: DirectoryLicence;
}

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) => a.name.localeCompare(b.name, 'ja') || a.id.localeCompare(b.id);

/** Every published organisation with its published services fully nested: two reads of the directory, however large. */
export async function hsdsDirectory(db: Tx<'system'>, origin: string): Promise<HsdsDirectory> {
	const organizations = await getOrganizations(db);
	const programs = await getPrograms(db);
	const servicesOf = new Map<string, ProgramDetail[]>();
	for (const p of programs) {
		const list = servicesOf.get(p.organization.id);
		if (list) list.push(p);
		else servicesOf.set(p.organization.id, [p]);
	}
	const records = organizations
		.sort((a, b) => byName(a.organization, b.organization))
		.map((d) => {
			const services = (servicesOf.get(d.organization.id) ?? []).sort((a, b) => byName({ name: a.program.title, id: a.program.id }, { name: b.program.title, id: b.program.id }));
			return hsdsOrganization(
				d,
				origin,
				services.flatMap((s) => s.locations),
				services
			);
		});
	return { organizations: records, taxonomies: allTaxonomies(), terms: allTerms() };
}

/** The HSDS JSON file: the records with the HSDS version, the licence and the time of export. */
export function hsdsJsonExport(directory: HsdsDirectory, meta: ExportMeta): Uint8Array {
	const document = {
		hsds_version: HSDS_VERSION,
		title: meta.title,
		created: meta.created.toISOString(),
		license: { name: meta.licence.name, identifier: meta.licence.identifier, url: meta.licence.url.ja },
		source: `${meta.origin}/opendata`,
		organizations: directory.organizations,
		taxonomies: directory.taxonomies,
		taxonomy_terms: directory.terms
	};
	return strToU8(JSON.stringify(document));
}

// ── tabular ─────────────────────────────────────────────────────────────────────────────────────

/** A nested array (or object) of an HSDS record → the table its items are rows of. */
const CHILD_TABLE: Record<string, string> = {
	services: 'service',
	service_at_locations: 'service_at_location',
	locations: 'location',
	location: 'location',
	addresses: 'address',
	phones: 'phone',
	schedules: 'schedule',
	languages: 'language',
	cost_options: 'cost_option',
	accessibility: 'accessibility',
	contacts: 'contact',
	attributes: 'attribute'
};
/** Nested objects that are rows of another table anyway (the parent, a term of the taxonomies): not rows again. */
const NOT_ROWS = new Set(['organization', 'service', 'taxonomy_term', 'taxonomy_detail']);

type Row = Record<string, unknown>;

/** Every record split into HSDS's tables (one row per id), the nesting undone through the records' own *_id fields. */
export function hsdsRows(directory: HsdsDirectory): Map<string, Map<string, Row>> {
	const rows = new Map(HSDS_TABLES.map((t) => [t.name, new Map<string, Row>()]));
	const columns = new Map(HSDS_TABLES.map((t) => [t.name, new Set(t.schema.fields.map((f) => f.name))]));
	const add = (table: string, record: Json) => {
		const row: Row = {};
		for (const [key, value] of Object.entries(record)) {
			if (value !== null && typeof value === 'object') {
				if (NOT_ROWS.has(key)) continue;
				const child = CHILD_TABLE[key];
				// A nested field with no table means the mapping outgrew this list: fail loudly, not drop facts.
				if (!child) throw new Error(`HSDS tabular: no table for ${table}.${key}`);
				for (const item of Array.isArray(value) ? value : [value]) add(child, item as Json);
				continue;
			}
			if (!columns.get(table)!.has(key)) throw new Error(`HSDS tabular: ${key} is not a column of ${table}`);
			row[key] = value;
		}
		const id = String(row.id);
		const table_ = rows.get(table)!;
		// The same place (or schedule) is nested under every service that names it: one row.
		if (!table_.has(id)) table_.set(id, row);
	};
	for (const o of directory.organizations) add('organization', o);
	for (const t of directory.taxonomies) add('taxonomy', t as unknown as Json);
	for (const t of directory.terms) add('taxonomy_term', t as unknown as Json);
	// A program may be held at a partner's place; when that partner is not published, its id
	// would point at no organisation of the file: the place is listed without it.
	const organizations = rows.get('organization')!;
	for (const location of rows.get('location')!.values()) if (location.organization_id !== undefined && !organizations.has(String(location.organization_id))) delete location.organization_id;
	return rows;
}

/** One value as its Frictionless type's default textual form. */
function cell(field: HsdsField, value: unknown): string {
	if (value === undefined || value === null) return '';
	if (field.type === 'number') return String(value);
	const text = String(value);
	// Times are ISO 8601 hh:mm:ss; ours are written hh:mm.
	if (field.type === 'time') return /^\d{2}:\d{2}$/.test(text) ? `${text}:00` : text;
	// Datetimes in UTC without fractions (YYYY-MM-DDThh:mm:ssZ).
	if (field.type === 'datetime') return new Date(text).toISOString().replace(/\.\d{3}Z$/, 'Z');
	return text;
}

/** RFC 4180: quoted when it holds a comma, a quote, a line break or edge spaces. */
function csvCell(text: string): string {
	return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function tableCsv(table: HsdsTable, rows: Iterable<Row>): string {
	const fields = table.schema.fields;
	const lines = [fields.map((f) => f.name).join(',')];
	for (const row of rows) lines.push(fields.map((f) => csvCell(cell(f, row[f.name]))).join(','));
	return lines.join('\r\n') + '\r\n';
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The HSDS tabular zip: a CSV per HSDS table (header only when empty) and datapackage.json. */
export function hsdsTabularExport(directory: HsdsDirectory, meta: ExportMeta): Uint8Array {
	const rows = hsdsRows(directory);
	const files = HSDS_TABLES.map((t) => ({ table: t, bytes: strToU8(tableCsv(t, rows.get(t.name)!.values())) }));
	const datapackage = {
		profile: 'tabular-data-package',
		name: 'tsunagu-hsds',
		title: meta.title,
		homepage: `${meta.origin}/opendata`,
		created: meta.created.toISOString(),
		licenses: [{ name: meta.licence.identifier, path: meta.licence.url.ja, title: meta.licence.name }],
		sources: [{ title: meta.title, path: `${meta.origin}/opendata` }],
		resources: files.map(({ table, bytes }) => ({ ...table, encoding: 'utf-8', bytes: bytes.length, hash: `sha256:${sha256(bytes)}` }))
	};
	const mtime = meta.created;
	return zipSync({ 'datapackage.json': [strToU8(JSON.stringify(datapackage, null, 2)), { mtime }], ...Object.fromEntries(files.map(({ table, bytes }) => [table.path, [bytes, { mtime }]])) }, { level: 6 });
}
