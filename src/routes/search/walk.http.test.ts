/**
 * A third walk of issue 15 through the public finder, over HTTP against the built app: the search
 * form's clean addresses, the organisation page's dates, and partial matches near a place.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../tests/helpers/app';

const app = useApp();

const search = (params: Record<string, string>) => `/search?${new URLSearchParams(params)}`;
const textOf = async (path: string, lang = 'ja') => (await (await app.get(path, undefined, { 'accept-language': lang })).text()).replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, '');

describe('the search form’s address (walk: the home page sent /search?q=…&near=)', () => {
	it('sends a search with empty fields to the same search without them', async () => {
		const home = await app.get(search({ q: 'こども食堂', near: '' }));
		expect(home.status).toBe(301);
		expect(home.headers.get('location')).toBe(search({ q: 'こども食堂' }));
		// 「今日ひらいているもの」 with nothing typed; and the results page's own form, every filter left at 「指定しない」.
		expect((await app.get('/search?q=&near=&when=today')).headers.get('location')).toBe('/search?when=today');
		const filters = await app.get('/search?q=%E5%B1%85%E5%A0%B4%E6%89%80&when=&near=&radius=10&life_stage=&prefecture=&city=&form=&target=&weekday=&language=&audience=&sort=');
		expect(filters.status).toBe(301);
		expect(filters.headers.get('location')).toBe(search({ q: '居場所', radius: '10' }));
		expect((await app.get('/search?q=&near=')).headers.get('location')).toBe('/search');
	});
	it('answers a clean address itself', async () => {
		expect((await app.get(search({ q: 'こども食堂' }))).status).toBe(200);
		expect((await app.get('/search')).status).toBe(200);
	});
});

describe('the organisation page’s dates (walk: 「最終更新」 was the day the demo data was loaded)', () => {
	it('dates a casebook organisation never edited by none but its listing, and an edited one by its last change', async () => {
		const { rows } = await app.admin.query<{ id: string }>(`select o.id from organizations o join programs p on p.organization_id = o.id where p.slug = 's004-hachioji-food-cafe'`);
		const id = rows[0].id;
		const loaded = await textOf(`/organizations/${id}`);
		expect(loaded).toContain('出典');
		expect(loaded).toContain('つなぐへの掲載');
		expect(loaded).not.toContain('最終更新');
		const api = await (await app.get(`/api/v1/organizations/${id}`, undefined, { accept: 'application/json' })).json();
		expect(api.citation.updated_on).toBeNull();
		expect(api.citation.text).not.toContain('最終更新');

		await app.admin.query(`update organizations set updated_at = '2026-03-05T03:00:00Z', created_at = '2026-01-05T03:00:00Z' where id = $1`, [id]);
		// Written behind the app's back: a cached page goes when the change notification arrives.
		let edited = '';
		for (let i = 0; i < 50 && !edited.includes('最終更新'); i++) {
			if (i) await new Promise((r) => setTimeout(r, 100));
			edited = await textOf(`/organizations/${id}`);
		}
		expect(edited).toContain('最終更新 2026年3月5日');
		expect(await textOf(`/organizations/${id}`, 'en')).toContain('last updated 5 Mar 2026');
	});
});

describe('partial matches near a place', () => {
	it('lists a two-word search’s partial matches under 「『無料』を含まない結果」, not among the full matches', async () => {
		const text = await textOf(search({ q: '居場所 無料', near: '荒川区' }));
		const line = text.indexOf('『無料』を含まない結果');
		expect(line).toBeGreaterThan(0);
		expect(text).toMatch(/(\d+)件みつかりました/);
		// 若者の居場所 has 居場所 in its title but says nothing of 無料: only under the line.
		expect(text.indexOf('若者の居場所')).toBeGreaterThan(line);
	});
});
