/**
 * Over HTTP, as the done-when says: a secretariat imports a 50-row サロン一覧 .xlsx with 3 bad
 * rows through the pages (upload → columns → preview → confirm → result), the preview names each
 * error in Japanese, confirming imports 47, importing the same file again changes nothing; the
 * exports; and who is refused (anonymous, another organisation's staff, an organisation at the
 * region-wide pages, another person's pending import). The browser step and axe are in
 * tests/e2e/import.test.ts.
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { useApp } from '../../../../../tests/helpers/app';
import { salonWorkbook } from '../../../../../tests/helpers/salons';

const app = useApp({ seed: 'import-http' });
const { get, post } = app;

const count = async (query: string, params: unknown[] = []) => Number((await app.admin.query(query, params)).rows[0].n);
const salons = () => count(`select count(*) as n from programs p join organizations o on o.id = p.organization_id where o.name like '%(架空)'`);

function upload(path: string, token: string | undefined, bytes: Uint8Array, fileName: string, kind = 'programs') {
	const form = new FormData();
	form.set('kind', kind);
	form.set('file', new Blob([bytes as BlobPart]), fileName);
	return fetch(app.baseUrl + path, { method: 'POST', redirect: 'manual', headers: { accept: 'text/html', origin: app.baseUrl, ...app.cookie(token) }, body: form });
}

/** The mapping form's fields as the page renders them (the guessed choice of each column). */
function mappingOf(html: string): Record<string, string> {
	const body: Record<string, string> = { columnCount: /name="columnCount" value="(\d+)"/.exec(html)![1] };
	for (const m of html.matchAll(/<select name="(column\.\d+)"[^>]*>([\s\S]*?)<\/select>/g)) body[m[1]] = /<option value="([^"]*)" selected/.exec(m[2])?.[1] ?? '';
	body.defaultForm = 'gathering';
	return body;
}

/** Upload → columns as guessed → preview; the import's page path and the preview's HTML. */
async function throughPreview(token: string, bytes: Uint8Array) {
	const uploaded = await upload('/staff/network/import?/upload', token, bytes, 'サロン一覧.xlsx');
	expect(uploaded.status).toBe(303);
	const page = uploaded.headers.get('location')!;
	expect(page).toMatch(/^\/staff\/network\/import\/[0-9a-f-]{36}$/);
	const mapping = await get(page, token);
	expect(mapping.status).toBe(200);
	const mapped = await post(`${page}?/map`, mappingOf(await mapping.text()), token);
	expect(mapped.status).toBe(303);
	expect(mapped.headers.get('location')).toBe(`${page}/preview`);
	const preview = await get(`${page}/preview`, token);
	expect(preview.status).toBe(200);
	return { page, html: await preview.text() };
}

describe('the secretariat imports a サロン一覧', () => {
	it('previews 50 rows naming each error, writes nothing, confirms 47, and a second import changes nothing', async () => {
		const token = app.cast.people.secretariat.token;
		const bytes = await salonWorkbook();
		const { page, html } = await throughPreview(token, bytes);
		expect(html).toContain('取り込める行 47 / 誤りのある行 3');
		expect(html).toContain('「サロン名」: 空です。');
		expect(html).toContain('「電話」: 電話番号は数字とハイフンで書いてください(例: 044-123-4567)。');
		expect(html).toContain('「参加費」: 参加費は1,000,000円までにしてください。');
		expect(html).toContain('「日時」: 「月1回程度(日程は会場に掲示)」は決まった日程として読めないため、説明の文のまま載せます。');
		expect(html).toContain('いつから数えるか書かれていない');
		expect(html).toContain('取組: 作成 47 / 更新 0 / 変更なし 0');
		// The places of ゆめみ市 (a town no registry knows) get no map point: said above the table, and on each place's first row with why.
		expect(html).toContain('場所: 作成 47 / 更新 0 / 変更なし 0');
		expect(html).toContain('地図上の位置が決まらない場所が47か所あります');
		expect(html).toContain('「住所」: 「ひだまり集会所1号館(架空)」は地図上の位置が決まりません。「ゆめみ市」という市区町村が見つからないためです。');
		expect(await salons()).toBe(0);

		// Publishing what is created is offered, unticked.
		const box = /<input type="checkbox" name="publish"[^>]*>/.exec(html);
		expect(box?.[0]).not.toContain('checked');
		expect(html).toContain('取り込んだものを公開する');

		const confirmed = await post(`${page}/preview?/confirm`, {}, token);
		expect(confirmed.status).toBe(303);
		expect(confirmed.headers.get('location')).toBe(page);
		expect(await count(`select count(*) as n from programs p join organizations o on o.id = p.organization_id where o.name like '%(架空)' and (p.published or o.published)`)).toBe(0);
		const result = await (await get(page, token)).text();
		expect(result).toContain('47行を取り込みました。誤りのあった3行は取り込んでいません。');
		expect(result).toContain('取り込まなかった行: 8, 20, 33');
		expect(result).toContain('地図上の位置が決まらなかった場所が47か所あります。');
		expect(result).toContain('2行目「ひだまり集会所1号館(架空)」: 「ゆめみ市」という市区町村が見つかりません。');
		expect(await salons()).toBe(47);
		// Confirming again is not a second import.
		expect((await post(`${page}/preview?/confirm`, {}, token)).status).toBe(303);
		expect(await salons()).toBe(47);

		const stamp = async () => (await app.admin.query(`select p.id, p.updated_at from programs p join organizations o on o.id = p.organization_id where o.name like '%(架空)' order by p.id`)).rows;
		const before = await stamp();
		const again = await throughPreview(token, bytes);
		expect(again.html).toContain('取組: 作成 0 / 更新 0 / 変更なし 47');
		expect(again.html).toContain('団体: 作成 0 / 更新 0 / 変更なし 0');
		expect((await post(`${again.page}/preview?/confirm`, {}, token)).status).toBe(303);
		expect(await stamp()).toEqual(before);
	});

	it('exports the same columns as .xlsx and as CSV (UTF-8 with a BOM, or Shift_JIS)', async () => {
		const token = app.cast.people.secretariat.token;
		const xlsx = await get('/staff/network/export.xlsx?kind=programs', token);
		expect(xlsx.status).toBe(200);
		expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await xlsx.arrayBuffer());
		expect((workbook.worksheets[0].getRow(1).values as string[]).slice(1, 5)).toEqual(['団体名', '名称', '会場', '住所']);
		const csv = await get('/staff/network/export.csv?kind=programs', token);
		const bytes = new Uint8Array(await csv.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(new TextDecoder().decode(bytes)).toContain('ふれあいサロンゆめみ1(架空)');
		const sjis = await get('/staff/network/export.csv?kind=programs&encoding=shift_jis', token);
		expect(sjis.headers.get('content-type')).toContain('shift_jis');
		expect(new TextDecoder('shift_jis').decode(await sjis.arrayBuffer())).toContain('ふれあいサロンゆめみ1(架空)');
		expect((await get('/staff/network/export.csv?kind=nonsense', token)).status).toBe(400);
	});

	it('refuses a file it cannot read with a Japanese message and keeps nothing', async () => {
		const token = app.cast.people.secretariat.token;
		const before = await count(`select count(*) as n from spreadsheet_imports`);
		const pdf = await upload('/staff/network/import?/upload', token, new TextEncoder().encode('%PDF-1.4'), 'サロン一覧.pdf');
		expect(pdf.status).toBe(400);
		expect(await pdf.text()).toContain('読めるのは .xlsx と .csv のファイルだけです。');
		const xls = await upload('/staff/network/import?/upload', token, new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), 'サロン一覧.xls');
		expect(await xls.text()).toContain('古いExcelの形式(.xls)は読めません');
		const none = await post('/staff/network/import?/upload', { kind: 'programs' }, token);
		expect(none.status).toBe(400);
		expect(await none.text()).toContain('ファイルを選んでください。');
		expect(await count(`select count(*) as n from spreadsheet_imports`)).toBe(before);
	});
});

describe('publishing what is imported', () => {
	it('publishes what the import creates when 「取り込んだものを公開する」 is ticked, and refuses others that confirmation', async () => {
		const { orgA } = app.cast;
		const staff = app.cast.people.staff.token;
		const own = (await app.admin.query(`select name from organizations where id = $1`, [orgA])).rows[0].name as string;
		const title = 'A団体の公開するサロン(架空)';
		const uploaded = await upload(`/staff/orgs/${orgA}/import?/upload`, staff, await salonWorkbook([[own, title, '', '', '', '', '毎週金曜 10時から12時', '', '', '', '']]), 'a.xlsx');
		const page = uploaded.headers.get('location')!;
		expect((await post(`${page}?/map`, mappingOf(await (await get(page, staff)).text()), staff)).status).toBe(303);
		expect(await (await get(`${page}/preview`, staff)).text()).toContain('取り込んだものを公開する');
		// Another organisation's staff and an anonymous visitor cannot confirm (and publish) it.
		expect((await post(`${page}/preview?/confirm`, { publish: 'on' }, app.cast.people.adminB.token)).status).toBe(403);
		expect((await post(`${page}/preview?/confirm`, { publish: 'on' })).headers.get('location')).toMatch(/^\/login/);
		expect((await post(`${page}/preview?/confirm`, { publish: 'on' }, app.cast.people.org_admin.token)).status).toBe(404);
		expect(await count(`select count(*) as n from programs where title = $1`, [title])).toBe(0);

		expect((await post(`${page}/preview?/confirm`, { publish: 'on' }, staff)).status).toBe(303);
		const [program] = (await app.admin.query(`select id, published from programs where organization_id = $1 and title = $2`, [orgA, title])).rows;
		expect(program.published).toBe(true);
		expect(await count(`select count(*) as n from audit_events where action = 'program.publish' and entity_id = $1`, [program.id])).toBe(1);
		expect(await (await get(page, staff)).text()).toContain('新しく作った団体と取組は公開しました。');
		// Residents see it.
		expect((await get(`/programs/${program.id}`)).status).toBe(200);
	});
});

const MiB = 1024 * 1024;
const filler = (bytes: number) => new Uint8Array(bytes).fill(0x41);

/** A multipart upload sent as a stream, without a Content-Length (chunked), as some clients send it. */
function uploadChunked(path: string, token: string, bytes: Uint8Array) {
	const boundary = `----tsunagu${Date.now()}`;
	const encode = (text: string) => new TextEncoder().encode(text);
	const parts: Uint8Array[] = [encode(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nprograms\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n`)];
	for (let i = 0; i < bytes.length; i += 64 * 1024) parts.push(bytes.subarray(i, i + 64 * 1024));
	parts.push(encode(`\r\n--${boundary}--\r\n`));
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			const next = parts.shift();
			if (next) controller.enqueue(next);
			else controller.close();
		}
	});
	return fetch(app.baseUrl + path, { method: 'POST', redirect: 'manual', body, duplex: 'half', headers: { accept: 'text/html', origin: app.baseUrl, 'content-type': `multipart/form-data; boundary=${boundary}`, ...app.cookie(token) } } as RequestInit);
}

describe('an upload over the size limit', () => {
	const imports = () => count(`select count(*) as n from spreadsheet_imports`);
	const refusal = 'ファイルが大きすぎます。900KBまでにしてください';

	it('is answered on the import page in Japanese, whatever its size and however it is sent, and keeps nothing', async () => {
		const token = app.cast.people.secretariat.token;
		const before = await imports();
		for (const size of [950 * 1024, 1.1 * MiB, 3 * MiB]) {
			const r = await upload('/staff/network/import?/upload', token, filler(size), 'サロン一覧.csv');
			expect(r.status, `${size}`).toBe(413);
			const html = await r.text();
			expect(html).toContain(refusal);
			// The upload form again, the message tied to the file field.
			expect(html).toContain('id="upload-error"');
			expect(html).toMatch(/<input id="f-file" type="file" name="file"/);
		}
		const chunked = await uploadChunked('/staff/network/import?/upload', token, filler(2 * MiB));
		expect(chunked.status).toBe(413);
		expect(await chunked.text()).toContain(refusal);
		// An organisation's own import page says the same.
		const own = await upload(`/staff/orgs/${app.cast.orgA}/import?/upload`, app.cast.people.staff.token, filler(1.1 * MiB), 'a.csv');
		expect(own.status).toBe(413);
		expect(await own.text()).toContain(refusal);
		expect(await imports()).toBe(before);
	});

	it('reads a file within the limit that is larger than the server’s old default body limit (512 KB)', async () => {
		const r = await upload('/staff/network/import?/upload', app.cast.people.secretariat.token, filler(600 * 1024), 'サロン一覧.csv');
		expect(r.status).toBe(400);
		expect(await r.text()).toContain('見出しの行と、1行以上のデータが必要です。');
	});

	it('answers a script with structured JSON: the form action’s failure, and the API’s error', async () => {
		const form = new FormData();
		form.set('kind', 'programs');
		form.set('file', new Blob([filler(1.1 * MiB) as BlobPart]), 'a.csv');
		const action = await fetch(app.baseUrl + '/staff/network/import?/upload', { method: 'POST', body: form, headers: { accept: 'application/json', 'x-sveltekit-action': 'true', origin: app.baseUrl, ...app.cookie(app.cast.people.secretariat.token) } });
		const result = await action.json();
		expect(result).toMatchObject({ type: 'failure', status: 413 });
		expect(result.data).toContain(refusal);
		const api = await fetch(app.baseUrl + '/api/v1/consultations', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ message: 'あ'.repeat(MiB) }) });
		expect(api.status).toBe(413);
		expect(api.headers.get('content-type')).toContain('application/json');
		expect((await api.json()).error).toMatchObject({ code: 'too_large' });
	});

	it('answers any other form over the server’s limit with a 413 in words, not a bare error', async () => {
		const r = await post('/login', { email: 'a@example.org', password: 'x'.repeat(2 * MiB) });
		expect(r.status).toBe(413);
		expect(await r.text()).toContain('送られた内容が大きすぎます。');
	});

	it('refuses anonymous visitors and other organisations before it looks at the size', async () => {
		expect((await upload('/staff/network/import?/upload', undefined, filler(1.1 * MiB), 'a.csv')).headers.get('location')).toMatch(/^\/login/);
		expect((await upload('/staff/network/import?/upload', app.cast.people.adminB.token, filler(1.1 * MiB), 'a.csv')).status).toBe(403);
		expect((await upload(`/staff/orgs/${app.cast.orgA}/import?/upload`, app.cast.people.adminB.token, filler(1.1 * MiB), 'a.csv')).status).toBe(403);
	});
});

describe('who is refused', () => {
	it('refuses anonymous visitors and organisations the region-wide pages and exports', async () => {
		const bytes = await salonWorkbook();
		expect((await get('/staff/network/import')).headers.get('location')).toMatch(/^\/login/);
		expect((await upload('/staff/network/import?/upload', undefined, bytes, 'a.xlsx')).headers.get('location')).toMatch(/^\/login/);
		expect((await get('/staff/network/export.xlsx')).headers.get('location')).toMatch(/^\/login/);
		for (const token of [app.cast.people.org_admin.token, app.cast.people.staff.token, app.cast.people.adminB.token]) {
			expect((await get('/staff/network/import', token)).status).toBe(403);
			expect((await upload('/staff/network/import?/upload', token, bytes, 'a.xlsx')).status).toBe(403);
			expect((await get('/staff/network/export.csv', token)).status).toBe(403);
		}
	});

	it("lets an organisation import its own list, and refuses another organisation's staff, anonymous visitors and another person's pending import", async () => {
		const { orgA } = app.cast;
		const own = (await app.admin.query(`select name from organizations where id = $1`, [orgA])).rows[0].name as string;
		const bytes = await salonWorkbook([[own, 'A団体の体操サロン(架空)', '', '', '', '', '毎週水曜 14時から16時', '', '', '', '']]);
		// Another organisation's staff, and an anonymous visitor, are refused A's pages.
		expect((await get(`/staff/orgs/${orgA}/import`, app.cast.people.adminB.token)).status).toBe(403);
		expect((await upload(`/staff/orgs/${orgA}/import?/upload`, app.cast.people.adminB.token, bytes, 'a.xlsx')).status).toBe(403);
		expect((await get(`/staff/orgs/${orgA}/export.xlsx`, app.cast.people.adminB.token)).status).toBe(403);
		expect((await get(`/staff/orgs/${orgA}/import`)).headers.get('location')).toMatch(/^\/login/);
		// A's staff member imports it; A's admin (another person) cannot see or confirm it.
		const staff = app.cast.people.staff.token;
		expect((await get(`/staff/orgs/${orgA}/import`, staff)).status).toBe(200);
		const uploaded = await upload(`/staff/orgs/${orgA}/import?/upload`, staff, bytes, 'a.xlsx');
		expect(uploaded.status).toBe(303);
		const page = uploaded.headers.get('location')!;
		expect(page).toMatch(new RegExp(`^/staff/orgs/${orgA}/import/[0-9a-f-]{36}$`));
		const mapped = await post(`${page}?/map`, mappingOf(await (await get(page, staff)).text()), staff);
		expect(mapped.status).toBe(303);
		for (const token of [app.cast.people.org_admin.token, app.cast.people.secretariat.token]) {
			expect((await get(page, token)).status).toBe(404);
			expect((await get(`${page}/preview`, token)).status).toBe(404);
			expect((await post(`${page}/preview?/confirm`, {}, token)).status).toBe(404);
		}
		expect((await post(`${page}/preview?/confirm`, {}, app.cast.people.adminB.token)).status).toBe(403);
		expect(await count(`select count(*) as n from programs where title = 'A団体の体操サロン(架空)'`)).toBe(0);
		// Its author confirms it.
		expect((await post(`${page}/preview?/confirm`, {}, staff)).status).toBe(303);
		expect(await count(`select count(*) as n from programs where organization_id = $1 and title = 'A団体の体操サロン(架空)'`, [orgA])).toBe(1);
		// An organisation cannot import organisations (a region-wide kind).
		const kind = await upload(`/staff/orgs/${orgA}/import?/upload`, staff, bytes, 'a.xlsx', 'organizations');
		expect(kind.status).toBe(400);
		expect(await kind.text()).toContain('一覧の種類を選んでください。');
	});
});
