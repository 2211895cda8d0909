/**
 * The bulk export over the whole demo region: the HSDS JSON file validates against Open
 * Referral's compiled schemas (ajv); the tabular zip unzips and every CSV, read with a real CSV
 * reader, matches its datapackage.json (field names and order, types, required fields, unique
 * primary keys, foreign keys that resolve), and those schemas are HSDS's own tables; the files are
 * regenerated when published data changes (also through the public-change notification), never
 * hold an unpublished program, and stay byte-identical (same ETag, same time) when nothing changed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { unzipSync, strFromU8 } from 'fflate';
import { parse } from 'csv-parse/sync';
import { testDatabase } from '../../../../tests/helpers/db';
import { hsdsErrors, hsdsValidator } from '../../../../tests/helpers/hsds';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { startPublicCacheListener, onPublicChange } from '../cache';
import { exportContent, exportFile, exportRegenerator, regenerateExports, serveExport, HSDS_TABLES, type ExportName } from './index';

const ORIGIN = 'https://tsunagu.test';
let database: Database;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
	database = await testDatabase();
	for (const name of ['service', 'organization', 'taxonomy', 'taxonomy_term'] as const) hsdsValidator(name);
}, 120_000);

afterAll(async () => {
	await database?.close();
});

const rows = async <T>(query: ReturnType<typeof sql>) => (await asSystem(database.db, (tx) => tx.execute(query))).rows as T[];

async function stored(name: ExportName) {
	const file = await exportFile(database.db, name);
	expect(file, name).not.toBeNull();
	return { ...file!, content: (await exportContent(database.db, name))! };
}
const jsonExport = async () => JSON.parse((await stored('hsds.json')).content!.toString('utf8')) as Json;
function unzip(content: Buffer) {
	const files = unzipSync(new Uint8Array(content));
	return { files, datapackage: JSON.parse(strFromU8(files['datapackage.json'])) as Json };
}
const csvRows = (bytes: Uint8Array): string[][] => parse(Buffer.from(bytes), { bom: false, relax_column_count: false, skip_empty_lines: false });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether `value` is a valid `field` value in its Frictionless type's default textual form. */
function typeError(field: Json, value: string): string | null {
	if (value === '') return field.constraints.required ? 'required' : null;
	if (field.constraints.enum && !field.constraints.enum.includes(value)) return `not in ${field.constraints.enum}`;
	switch (field.type) {
		case 'number':
			return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value) && Number.isFinite(Number(value)) ? null : 'not a number';
		case 'date':
			return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? null : 'not a date';
		case 'time':
			return /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(value) ? null : 'not a time';
		case 'datetime':
			return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'not a datetime';
		case 'string':
			if (field.format === 'uuid') return UUID.test(value) ? null : 'not a uuid';
			if (field.format === 'email') return /^[^\s@]+@[^\s@]+$/.test(value) ? null : 'not an email';
			if (field.format === 'uri') return URL.canParse(value) ? null : 'not a uri';
			return null;
		default:
			return `unknown type ${field.type}`;
	}
}

describe('the HSDS tabular datapackage follows HSDS 3.0', () => {
	it('has every HSDS table with its file name, and each table the HSDS fields in order with their types and keys', () => {
		// HSDS's object schemas (copied unchanged in tests/fixtures/hsds/tables): the tabular fields are
		// the scalar properties; date, time and datetime are the `datapackage_type`s.
		const dir = path.resolve(import.meta.dirname, '../../../../tests/fixtures/hsds/tables');
		const schemas = readdirSync(dir)
			.filter((f) => f.endsWith('.json'))
			.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Json)
			.sort((a, b) => a.datapackage_metadata.order - b.datapackage_metadata.order);
		expect(HSDS_TABLES.map((t) => [t.name, t.path])).toEqual(schemas.map((s) => [s.name, s.path]));
		for (const s of schemas) {
			const table = HSDS_TABLES.find((t) => t.name === s.name)!;
			const scalar = Object.entries(s.properties as Record<string, Json>).filter(([, p]) => p.constraints);
			expect(
				table.schema.fields.map((f) => [f.name, f.type]),
				s.name
			).toEqual(scalar.map(([name, p]) => [name, p.datapackage_type ?? p.type]));
			const required = new Set([...(s.required ?? []), ...(s.tabular_required ?? [])]);
			for (const f of table.schema.fields) expect(f.constraints.required, `${s.name}.${f.name}`).toBe(required.has(f.name));
			expect(table.schema.primaryKey).toBe('id');
		}
		expect(HSDS_TABLES.find((t) => t.name === 'service')!.schema.foreignKeys).toContainEqual({ fields: 'organization_id', reference: { resource: 'organization', fields: 'id' } });
	});
});

describe('the bulk export of the demo region', () => {
	it('is made when missing, states the licence and the time of export, and every record validates', async () => {
		expect(await exportFile(database.db, 'hsds.json')).toBeNull();
		const before = Date.now();
		expect((await regenerateExports(database, ORIGIN)).sort()).toEqual(['hsds-tabular.zip', 'hsds.json']);
		const doc = await jsonExport();
		expect(doc).toMatchObject({ hsds_version: '3.0', license: { identifier: 'CC-BY-4.0', url: expect.stringMatching(/^https:\/\/creativecommons.org\//) }, source: `${ORIGIN}/opendata` });
		expect(Date.parse(doc.created)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
		const [{ orgs, programs }] = await rows<{ orgs: number; programs: number }>(sql`select (select count(*)::int from organizations where published) as orgs, (select count(*)::int from programs p join organizations o on o.id = p.organization_id where p.published and o.published) as programs`);
		expect(doc.organizations.length).toBe(orgs);
		const services = doc.organizations.flatMap((o: Json) => o.services ?? []);
		expect(services.length).toBe(programs);
		const invalid: Record<string, string[]> = {};
		for (const o of doc.organizations) {
			const errors = hsdsErrors('organization', o);
			if (errors.length) invalid[o.id] = errors.slice(0, 5);
		}
		for (const s of services) {
			const errors = hsdsErrors('service', s);
			if (errors.length) invalid[s.id] = errors.slice(0, 5);
		}
		expect(invalid).toEqual({});
		for (const t of doc.taxonomies) expect(hsdsErrors('taxonomy', t)).toEqual([]);
		for (const t of doc.taxonomy_terms) expect(hsdsErrors('taxonomy_term', t)).toEqual([]);
		// Services are nested fully: places and schedules are there.
		expect(services.some((s: Json) => s.service_at_locations?.[0]?.location?.addresses)).toBe(true);
		expect(services.some((s: Json) => s.schedules?.length)).toBe(true);
	}, 120_000);

	it('unzips, and every CSV (read with csv-parse) matches its datapackage.json schema: names, order, types, unique keys, resolving foreign keys', async () => {
		const zip = await stored('hsds-tabular.zip');
		expect(zip.mediaType).toBe('application/zip');
		const { files, datapackage } = unzip(zip.content!);
		expect(datapackage).toMatchObject({ profile: 'tabular-data-package', licenses: [{ name: 'CC-BY-4.0', path: expect.stringMatching(/^https:/) }] });
		expect(datapackage.created).toBe(zip.generatedAt.toISOString());
		expect(Object.keys(files).sort()).toEqual(['datapackage.json', ...datapackage.resources.map((r: Json) => r.path)].sort());
		const keys = new Map<string, Set<string>>();
		const tables = new Map<string, string[][]>();
		for (const resource of datapackage.resources) {
			const bytes = files[resource.path];
			expect(resource).toMatchObject({ profile: 'tabular-data-resource', format: 'csv', mediatype: 'text/csv', encoding: 'utf-8', bytes: bytes.length, hash: `sha256:${createHash('sha256').update(bytes).digest('hex')}` });
			const [header, ...data] = csvRows(bytes);
			const fields = resource.schema.fields as Json[];
			expect(header, resource.path).toEqual(fields.map((f) => f.name));
			const problems: string[] = [];
			for (const [i, row] of data.entries()) {
				expect(row.length).toBe(fields.length);
				fields.forEach((f, j) => {
					const error = typeError(f, row[j]);
					if (error) problems.push(`${resource.path}:${i + 2} ${f.name}=${JSON.stringify(row[j])}: ${error}`);
				});
			}
			expect(problems.slice(0, 10)).toEqual([]);
			const pk = fields.findIndex((f) => f.name === resource.schema.primaryKey);
			const ids = data.map((r) => r[pk]);
			expect(new Set(ids).size, `${resource.path} primary key unique`).toBe(ids.length);
			keys.set(resource.name, new Set(ids));
			tables.set(resource.name, data);
		}
		const dangling: string[] = [];
		for (const resource of datapackage.resources) {
			const fields = (resource.schema.fields as Json[]).map((f) => f.name);
			for (const fk of resource.schema.foreignKeys ?? []) {
				const target = keys.get(fk.reference.resource);
				expect(target, `${resource.name} → ${fk.reference.resource}`).toBeDefined();
				const column = fields.indexOf(fk.fields);
				for (const row of tables.get(resource.name)!) if (row[column] !== '' && !target!.has(row[column])) dangling.push(`${resource.name}.${fk.fields}=${row[column]}`);
			}
		}
		expect(dangling.slice(0, 10)).toEqual([]);
		// The tables hold what the JSON holds.
		const doc = await jsonExport();
		expect(keys.get('organization')!.size).toBe(doc.organizations.length);
		expect(keys.get('service')!.size).toBe(doc.organizations.flatMap((o: Json) => o.services ?? []).length);
		for (const name of ['service_at_location', 'location', 'address', 'schedule', 'language', 'cost_option', 'attribute', 'taxonomy', 'taxonomy_term', 'contact']) expect(keys.get(name)!.size, name).toBeGreaterThan(0);
		// Japanese survives the round trip.
		const names = tables.get('organization')!.map((r) => r[1]);
		expect(names).toContain(doc.organizations[0].name);
	}, 120_000);

	it('nothing changed: nothing is written, the files keep their bytes and time', async () => {
		const before = await exportFile(database.db, 'hsds-tabular.zip');
		expect(await regenerateExports(database, ORIGIN, () => new Date(Date.now() + 3_600_000))).toEqual([]);
		expect(await exportFile(database.db, 'hsds-tabular.zip')).toEqual(before);
	});

	it('a change to a published program shows in the regenerated files; an unpublished program never appears', async () => {
		const [changed, hidden] = await rows<{ id: string }>(sql`select p.id from programs p join organizations o on o.id = p.organization_id where p.published and o.published order by p.slug limit 2`);
		await rows(sql`update programs set title = '書き換えたタイトル(エクスポート確認)' where id = ${changed.id}`);
		await rows(sql`update programs set published = false where id = ${hidden.id}`);
		const written = await regenerateExports(database, ORIGIN, () => new Date(Date.now() + 60_000));
		expect(written.sort()).toEqual(['hsds-tabular.zip', 'hsds.json']);
		const doc = await jsonExport();
		const services = doc.organizations.flatMap((o: Json) => o.services ?? []);
		expect(services.find((s: Json) => s.id === changed.id)?.name).toBe('書き換えたタイトル(エクスポート確認)');
		const text = (await stored('hsds.json')).content!.toString('utf8');
		expect(text).not.toContain(hidden.id);
		const { files } = unzip((await stored('hsds-tabular.zip')).content!);
		const servicesCsv = strFromU8(files['services.csv']);
		expect(servicesCsv).toContain('書き換えたタイトル(エクスポート確認)');
		for (const [file, bytes] of Object.entries(files)) expect(strFromU8(bytes), file).not.toContain(hidden.id);
		// Both files state the same new time of export.
		const [json, zip] = [await exportFile(database.db, 'hsds.json'), await exportFile(database.db, 'hsds-tabular.zip')];
		expect(json!.generatedAt).toEqual(zip!.generatedAt);
		await rows(sql`update programs set published = true where id = ${hidden.id}`);
	}, 120_000);

	it('the public-change notification regenerates them (debounced) in a process that listens', async () => {
		const listener = startPublicCacheListener(database.pool.options, { PUBLIC_CACHE_SECONDS: '30' });
		await listener.ready;
		let runs = 0;
		const regenerator = exportRegenerator(
			async () => {
				runs++;
				await regenerateExports(database, ORIGIN);
			},
			{ quietMs: 200, maxWaitMs: 2000 }
		);
		const stop = onPublicChange((table) => table === 'programs' && regenerator.changed());
		try {
			const [program] = await rows<{ id: string }>(sql`select p.id from programs p join organizations o on o.id = p.organization_id where p.published and o.published order by p.slug desc limit 1`);
			// Three changes in a row: one regeneration.
			for (const n of [1, 2, 3]) await rows(sql`update programs set title = ${`通知で作り直し ${n}`} where id = ${program.id}`);
			const deadline = Date.now() + 15_000;
			while (Date.now() < deadline && !(await jsonExport()).organizations.some((o: Json) => o.services?.some((s: Json) => s.name === '通知で作り直し 3'))) await new Promise((r) => setTimeout(r, 100));
			expect((await jsonExport()).organizations.flatMap((o: Json) => o.services ?? []).find((s: Json) => s.id === program.id)?.name).toBe('通知で作り直し 3');
			expect(runs).toBe(1);
		} finally {
			stop();
			await regenerator.stop();
			await listener.stop();
		}
	}, 60_000);
});

describe('serving a stored file', () => {
	it('answers with type, download name, ETag and Last-Modified; 304 when the client has it', async () => {
		await regenerateExports(database, ORIGIN);
		const fail = () => Promise.reject(new Error('not missing'));
		const response = await serveExport(database.db, 'hsds-tabular.zip', new Request('http://x/opendata/hsds-tabular.zip'), fail, 'preparing');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/zip');
		const etag = response.headers.get('etag')!;
		expect(unzipSync(new Uint8Array(await response.arrayBuffer()))['datapackage.json']).toBeDefined();
		const again = await serveExport(database.db, 'hsds-tabular.zip', new Request('http://x/', { headers: { 'if-none-match': etag } }), fail, 'preparing');
		expect(again.status).toBe(304);
		await rows(sql`delete from opendata_exports`);
		const none = await serveExport(database.db, 'hsds.json', new Request('http://x/'), async () => undefined, '作成中');
		expect(none.status).toBe(503);
		expect(none.headers.get('retry-after')).toBe('30');
		const made = await serveExport(database.db, 'hsds.json', new Request('http://x/'), async () => void (await regenerateExports(database, ORIGIN)), '作成中');
		expect(made.status).toBe(200);
		expect(made.headers.get('content-type')).toBe('application/json; charset=utf-8');
	});
});
