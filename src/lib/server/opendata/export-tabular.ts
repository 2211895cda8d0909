/**
 * The HSDS tabular file: every record split into HSDS's tables, a CSV per table (header only when
 * empty) zipped beside a Frictionless `datapackage.json` that states each CSV's size and digest.
 *
 * Made as the organisations are read (export-hsds.ts reads them a page at a time): each row is
 * written to its table's CSV as it is met and deflated in 64 KiB pieces, so what stays in memory is
 * the compressed tables and each table's ids (one row per id), not the directory. The zip is put
 * together at the end (zip.ts), when every size and digest datapackage.json states is known.
 */
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
// fflate: maintained, no dependencies, its own types, and synchronous and deterministic — the same
// rows at the same time give the same zip, which exports.ts relies on to see that nothing changed.
import { Deflate } from 'fflate';
import type { Json } from './hsds';
import type { HsdsDirectory, ExportMeta } from './export-hsds';
import tables from './hsds-tables.json';
import { deflatedEntry, zipPieces, type ZipEntry } from './zip';

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

/** Text gathered before it is encoded, digested and deflated: big enough to compress well, small enough not to hold the loop. */
const PIECE_CHARS = 64 * 1024;
const encoder = new TextEncoder();

/** One table's CSV as it is written: its size, CRC-32 and SHA-256 so far, and its deflated pieces. */
class TableCsv {
	readonly ids = new Set<string>();
	private text: string[] = [];
	private chars = 0;
	private readonly deflated: Uint8Array[] = [];
	private readonly deflate = new Deflate({ level: 6 }, (piece) => this.deflated.push(piece));
	private readonly hash: Hash = createHash('sha256');
	private crc = 0;
	private size = 0;
	private digest: string | null = null;

	constructor(readonly table: HsdsTable) {
		this.line(table.schema.fields.map((f) => f.name).join(','));
	}

	row(row: Row) {
		this.line(this.table.schema.fields.map((f) => csvCell(cell(f, row[f.name]))).join(','));
	}

	private line(text: string) {
		this.text.push(text, '\r\n');
		this.chars += text.length + 2;
		if (this.chars >= PIECE_CHARS) this.flush(false);
	}

	private flush(final: boolean) {
		const bytes = encoder.encode(this.text.join(''));
		this.text = [];
		this.chars = 0;
		this.hash.update(bytes);
		this.crc = crc32(bytes, this.crc);
		this.size += bytes.length;
		this.deflate.push(bytes, final);
	}

	/** The last piece; after it only `entry` and `sha256`. */
	finish() {
		this.flush(true);
		this.digest = this.hash.digest('hex');
	}

	get bytes() {
		return this.size;
	}

	get sha256() {
		if (this.digest === null) throw new Error('HSDS tabular: a table read before it was finished');
		return this.digest;
	}

	get entry(): ZipEntry {
		return { path: this.table.path, crc: this.crc, size: this.size, deflated: this.deflated };
	}
}

/**
 * The tabular file made as the organisations come: `add` each one (in the file's order), `finish`
 * with the taxonomies, then `zip` at a time of export (as often as wanted: it only puts the
 * compressed tables together).
 */
export class HsdsTabular {
	private readonly csv = new Map(HSDS_TABLES.map((t) => [t.name, new TableCsv(t)]));
	private readonly columns = new Map(HSDS_TABLES.map((t) => [t.name, new Set(t.schema.fields.map((f) => f.name))]));
	private finished = false;

	constructor(private readonly organizationIds: ReadonlySet<string>) {}

	/** An organisation with everything nested in it. */
	add(organization: Json) {
		this.addRow('organization', organization);
	}

	/** The records split into HSDS's tables (one row per id), the nesting undone through the records' own *_id fields. */
	private addRow(table: string, record: Json) {
		if (this.finished) throw new Error('HSDS tabular: a row after the end');
		const row: Row = {};
		for (const [key, value] of Object.entries(record)) {
			if (value !== null && typeof value === 'object') {
				if (NOT_ROWS.has(key)) continue;
				const child = CHILD_TABLE[key];
				// A nested field with no table means the mapping outgrew this list: fail loudly, not drop facts.
				if (!child) throw new Error(`HSDS tabular: no table for ${table}.${key}`);
				for (const item of Array.isArray(value) ? value : [value]) this.addRow(child, item as Json);
				continue;
			}
			if (!this.columns.get(table)!.has(key)) throw new Error(`HSDS tabular: ${key} is not a column of ${table}`);
			row[key] = value;
		}
		const csv = this.csv.get(table)!;
		const id = String(row.id);
		// The same place (or schedule) is nested under every service that names it: one row, the first.
		if (csv.ids.has(id)) return;
		csv.ids.add(id);
		// A program may be held at a partner's place; when that partner is not published, its id
		// would point at no organisation of the file: the place is listed without it.
		if (table === 'location' && row.organization_id !== undefined && !this.organizationIds.has(String(row.organization_id))) delete row.organization_id;
		csv.row(row);
	}

	/** The taxonomies (after every organisation); no row may come after. */
	finish(directory: Pick<HsdsDirectory, 'taxonomies' | 'terms'>) {
		for (const t of directory.taxonomies) this.addRow('taxonomy', t as unknown as Json);
		for (const t of directory.terms) this.addRow('taxonomy_term', t as unknown as Json);
		this.finished = true;
		for (const csv of this.csv.values()) {
			csv.finish();
			csv.ids.clear();
		}
	}

	/** The zip stating `meta`'s time of export: datapackage.json first, then a CSV per HSDS table in HSDS's order. */
	zip(meta: ExportMeta): Generator<Uint8Array> {
		if (!this.finished) throw new Error('HSDS tabular: zipped before the end');
		const files = [...this.csv.values()];
		const datapackage = {
			profile: 'tabular-data-package',
			name: 'tsunagu-hsds',
			title: meta.title,
			homepage: `${meta.origin}/opendata`,
			created: meta.created.toISOString(),
			licenses: [{ name: meta.licence.identifier, path: meta.licence.url.ja, title: meta.licence.name }],
			sources: [{ title: meta.title, path: `${meta.origin}/opendata` }],
			resources: files.map((f) => ({ ...f.table, encoding: 'utf-8', bytes: f.bytes, hash: `sha256:${f.sha256}` }))
		};
		return zipPieces([deflatedEntry('datapackage.json', encoder.encode(JSON.stringify(datapackage, null, 2))), ...files.map((f) => f.entry)], meta.created);
	}
}
