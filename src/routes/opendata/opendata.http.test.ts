/**
 * The bulk downloads over HTTP, as a portal's harvester meets them: /opendata/hsds.json and
 * /opendata/hsds-tabular.zip answer with their type, a download name, an ETag and a
 * Last-Modified (a conditional request is a 304), the zip unzips to the CSV files its
 * datapackage.json lists, and /opendata lists both with format, licence, update time and size.
 */
import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { parse } from 'csv-parse/sync';
import { useApp } from '../../../tests/helpers/app';

const app = useApp();

describe('/opendata bulk files', () => {
	it('hsds.json: JSON with the licence and the time of export; ETag and Last-Modified; 304 when current', async () => {
		const response = await app.get('/opendata/hsds.json', undefined, { accept: '*/*' });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="hsds.json"');
		const etag = response.headers.get('etag')!;
		expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
		const lastModified = response.headers.get('last-modified')!;
		const body = await response.json();
		expect(body).toMatchObject({ hsds_version: '3.0', license: { identifier: 'CC-BY-4.0' } });
		expect(new Date(lastModified).toISOString()).toBe(body.created);
		expect(body.organizations.length).toBeGreaterThan(10);
		const again = await app.get('/opendata/hsds.json', undefined, { 'if-none-match': etag });
		expect(again.status).toBe(304);
		expect(again.headers.get('etag')).toBe(etag);
		expect((await app.get('/opendata/hsds.json', undefined, { 'if-modified-since': lastModified })).status).toBe(304);
		expect((await app.get('/opendata/hsds.json', undefined, { 'if-none-match': '"stale"' })).status).toBe(200);
	});

	it('hsds-tabular.zip: a zip whose datapackage.json lists every CSV in it, each with its header', async () => {
		const response = await app.get('/opendata/hsds-tabular.zip', undefined, { accept: '*/*' });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/zip');
		expect(response.headers.get('content-disposition')).toBe('attachment; filename="hsds-tabular.zip"');
		expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
		const bytes = new Uint8Array(await response.arrayBuffer());
		expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
		const files = unzipSync(bytes);
		const datapackage = JSON.parse(strFromU8(files['datapackage.json']));
		expect(datapackage.licenses[0].name).toBe('CC-BY-4.0');
		for (const resource of datapackage.resources) {
			const [header] = parse(Buffer.from(files[resource.path]), { to_line: 1 }) as string[][];
			expect(header, resource.path).toEqual(resource.schema.fields.map((f: { name: string }) => f.name));
		}
		expect(parse(Buffer.from(files['services.csv'])).length).toBeGreaterThan(50);
	});

	it('/opendata lists both downloads with their format, licence, update time and size', async () => {
		await app.get('/opendata/hsds.json');
		const html = await (await app.get('/opendata')).text();
		for (const href of ['/opendata/hsds.json', '/opendata/hsds-tabular.zip', '/opendata/event-list.csv']) expect(html).toContain(`href="${href}"`);
		expect(html).toContain('HSDS 3.0 一括ダウンロード(JSON)');
		expect(html).toMatch(/<dt>サイズ<\/dt>\s*<dd[^>]*>[\d,]+ KB<\/dd>/);
		expect(html).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T/);
		expect(html).toContain('CC BY 4.0');
	});
});
