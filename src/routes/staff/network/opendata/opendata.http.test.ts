/**
 * Over HTTP: the secretariat chooses the directory's licence and credit line on
 * /staff/network/opendata (a plain form, no JavaScript); an organisation's admin, another
 * organisation's admin, a member and an anonymous visitor are refused and change nothing; bad
 * input is a 400 with a Japanese message and changes nothing. Once chosen, the licence is stated
 * everywhere: the footer, /opendata, the /api/v1 answers (body and Link header), the OpenAPI
 * document's info.license, the HSDS answers and the CSV downloads. The organisation page cites
 * its source.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../../../tests/helpers/app';

// Bulk files made again a second after a change (default 10 s), so the test sees the new licence in them.
const app = useApp({ seed: 'opendata-http', env: { OPENDATA_EXPORT_QUIET_SECONDS: '1' } });
const { get, post } = app;
const settings = async () => (await app.admin.query(`select licence, attribution from opendata_settings`)).rows;
// A demo organisation from a seed document: the citation of a source document is what is tested.
const seeded = async () => (await app.admin.query(`select id from organizations where published and source_title is not null order by slug limit 1`)).rows[0].id as string;
const auditCount = async () => Number((await app.admin.query(`select count(*) from audit_events where action = 'opendata.licence'`)).rows[0].count);
const CREDIT = '荒川区社会福祉協議会 つなぐ';

describe('the open-data licence page', () => {
	it('shows the secretariat the default licence and every choice', async () => {
		const page = await get('/staff/network/opendata', app.cast.people.secretariat.token);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('いまのライセンス: CC BY 4.0(クリエイティブ・コモンズ 表示 4.0 国際)');
		expect(html).toContain('まだ変更していません');
		for (const id of ['CC-BY-4.0', 'CC0-1.0', 'CC-BY-SA-4.0', 'ODC-By-1.0', 'PDDL-1.0']) expect(html).toContain(`value="${id}"`);
		expect(html).toMatch(/<form[^>]*method="POST"[^>]*action="\?\/save"/);
	});

	it('refuses an organisation admin, another organisation’s admin, a member and anonymous visitors, changing nothing', async () => {
		for (const person of ['org_admin', 'adminB', 'staff', 'volunteer'] as const) {
			const token = app.cast.people[person].token;
			expect((await get('/staff/network/opendata', token)).status, person).toBe(403);
			expect((await post('/staff/network/opendata?/save', { licence: 'PDDL-1.0', attribution: '乗っ取り' }, token)).status, person).toBe(403);
		}
		const anonymous = await post('/staff/network/opendata?/save', { licence: 'PDDL-1.0', attribution: '' });
		expect(anonymous.headers.get('location')).toMatch(/^\/login/);
		expect((await get('/staff/network/opendata')).headers.get('location')).toMatch(/^\/login/);
		expect(await settings()).toEqual([]);
		expect(await auditCount()).toBe(0);
	});

	it('gives bad input back with a Japanese message and changes nothing', async () => {
		const token = app.cast.people.secretariat.token;
		const unknown = await post('/staff/network/opendata?/save', { licence: 'GPL-3.0', attribution: '' }, token);
		expect(unknown.status).toBe(400);
		expect(await unknown.text()).toContain('ライセンスを一覧から選んでください。');
		const long = await post('/staff/network/opendata?/save', { licence: 'CC0-1.0', attribution: 'あ'.repeat(201) }, token);
		expect(long.status).toBe(400);
		const html = await long.text();
		expect(html).toContain('クレジット表記は200文字までの1行で書いてください。');
		// The form keeps what was chosen.
		expect(html).toMatch(/value="CC0-1.0"[^>]*checked|checked[^>]*value="CC0-1.0"/);
		expect(await settings()).toEqual([]);
		expect(await auditCount()).toBe(0);
	});

	it('saves the secretariat’s choice; every statement of the licence follows', { timeout: 90_000 }, async () => {
		const token = app.cast.people.secretariat.token;
		const saved = await post('/staff/network/opendata?/save', { licence: 'CC0-1.0', attribution: CREDIT }, token);
		expect(saved.status).toBe(303);
		expect(saved.headers.get('location')).toBe('/staff/network/opendata?saved=1');
		expect(await settings()).toEqual([{ licence: 'CC0-1.0', attribution: CREDIT }]);
		expect(await auditCount()).toBe(1);
		const page = await (await get('/staff/network/opendata?saved=1', token)).text();
		expect(page).toContain('ライセンスを保存しました。');
		expect(page).toContain('いまのライセンス: CC0 1.0');

		// Public pages (cached for anonymous visitors until the change is heard).
		await expect.poll(async () => (await (await get('/')).text()).includes('オープンデータ(CC0 1.0)')).toBe(true);
		const opendata = await (await get('/opendata')).text();
		expect(opendata).toContain('ライセンス: CC0 1.0(CC0 1.0 全世界 パブリック・ドメイン提供)。どなたでも条件なしで利用・加工・再配布できます。');
		expect(opendata).toContain(`「${CREDIT}」`);
		expect(opendata).toContain('href="https://creativecommons.org/publicdomain/zero/1.0/deed.ja"');
		expect(opendata).toContain('/opendata/facilities.csv');

		const link = '<https://creativecommons.org/publicdomain/zero/1.0/deed.ja>; rel="license"';
		const list = await get('/api/v1/programs?per_page=1', undefined, { accept: 'application/json' });
		expect(list.headers.get('link')).toBe(link);
		expect((await list.json()).license).toEqual({ name: 'CC0 1.0', identifier: 'CC0-1.0', title: 'CC0 1.0 全世界 パブリック・ドメイン提供', url: 'https://creativecommons.org/publicdomain/zero/1.0/deed.ja', attribution: CREDIT });
		const english = await (await get('/api/v1/programs?per_page=1', undefined, { accept: 'application/json', 'accept-language': 'en' })).json();
		expect(english.license).toMatchObject({ identifier: 'CC0-1.0', title: 'CC0 1.0 Universal Public Domain Dedication', url: 'https://creativecommons.org/publicdomain/zero/1.0/' });
		const organization = await get(`/api/v1/organizations/${await seeded()}`, undefined, { accept: 'application/json' });
		expect(organization.headers.get('link')).toBe(link);
		const body = await organization.json();
		expect(body.license.identifier).toBe('CC0-1.0');
		expect(body.citation).toMatchObject({ kind: 'source_document', text: expect.stringMatching(/^出典: 『.+』/) });
		const openapi = await (await get('/api/v1/openapi.json', undefined, { accept: 'application/json' })).json();
		expect(openapi.info.license).toEqual({ name: 'CC0 1.0', identifier: 'CC0-1.0' });

		const root = await get('/api/hsds', undefined, { accept: 'application/json' });
		expect(root.headers.get('link')).toBe(link);
		expect((await root.json()).license).toEqual({ name: 'CC0 1.0', identifier: 'CC0-1.0', url: 'https://creativecommons.org/publicdomain/zero/1.0/deed.ja', attribution: CREDIT });
		const services = await get('/api/hsds/services?per_page=1', undefined, { accept: 'application/json' });
		expect(services.headers.get('link')).toBe(link);
		expect((await services.json()).license).toMatchObject({ identifier: 'CC0-1.0' });
		const stream = await get('/api/hsds/services?format=ndjson', undefined, { accept: 'application/x-ndjson' });
		expect(stream.headers.get('link')).toBe(link);
		await stream.body?.cancel();
		const terms = await (await get('/api/hsds/taxonomy_terms?per_page=1', undefined, { accept: 'application/json' })).json();
		expect(terms.license).toMatchObject({ identifier: 'CC0-1.0' });

		for (const file of ['/opendata/event-list.csv', '/opendata/facilities.csv']) {
			const csv = await get(file);
			expect(csv.status, file).toBe(200);
			expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
			expect(csv.headers.get('link'), file).toBe(link);
		}
		// The bulk files: the header at once, the file itself once it is regenerated after the change.
		const bulk = await get('/opendata/hsds.json');
		expect(bulk.status).toBe(200);
		expect(bulk.headers.get('link')).toBe(link);
		await expect.poll(async () => (await (await get('/opendata/hsds.json')).json()).license?.identifier, { timeout: 30_000, interval: 500 }).toBe('CC0-1.0');

		// Back to the default credit: the site's name.
		await post('/staff/network/opendata?/save', { licence: 'CC-BY-4.0', attribution: '' }, token);
		await expect.poll(async () => (await (await get('/opendata')).text()).includes('出典として「つなぐ」とページのURLを示せば')).toBe(true);
	});

	it('the organisation page cites where its facts come from', async () => {
		// (Without Svelte's block markers: the citation is a message whose values an English page marks.)
		const html = (await (await get(`/organizations/${await seeded()}`)).text()).replace(/<!--.*?-->/g, '');
		// A casebook organisation never edited since it was listed: no 「最終更新」 (the load is no change).
		expect(html).toMatch(/data-testid="citation"><small>出典: 『[^』]+』\([^)]+\)。つなぐへの掲載 \d{4}年\d{1,2}月\d{1,2}日。<\/small>/);
	});
});
