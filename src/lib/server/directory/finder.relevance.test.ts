/**
 * Relevance test set: realistic queries a resident or a referrer types, against the demo region,
 * each with the programs that must appear in the top 5 (any one of `anyOf`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../db';
import { searchPrograms } from './finder/index';
import { finderQuery } from './finder-query';
import { programs } from './schema';
import { makeOrganization, makeProgram } from '../../../../tests/helpers/factories';

let database: Database;
const slugById = new Map<string, string>();
const clock = { now: new Date('2026-12-02T03:00:00Z'), today: '2026-12-02' };

beforeAll(async () => {
	database = await testDatabase();
	for (const row of await database.db.select({ id: programs.id, slug: programs.slug }).from(programs)) slugById.set(row.id, row.slug);
});
afterAll(() => database.close());

async function top5(params: Record<string, string>) {
	const result = await searchPrograms(database.db, finderQuery.parse({ per_page: '5', ...params }), clock);
	return result.items.map((i) => slugById.get(i.id)!);
}

const cases: Array<{ params: Record<string, string>; anyOf: string[]; why: string }> = [
	{ params: { q: '不登校' }, anyOf: ['s001-tanotsuku-weekday-morning', 's001-sodateage-boardgame-cafe', 's001-miel-oya-no-kai'], why: 'tag match' },
	{ params: { q: '不登校', prefecture: '東京都' }, anyOf: ['s001-tanotsuku-weekday-morning', 's001-sodateage-boardgame-cafe'], why: 'with area' },
	{ params: { q: '学校に行きづらい' }, anyOf: ['s001-tanotsuku-weekday-morning', 's001-sodateage-boardgame-cafe', 's001-miel-oya-no-kai'], why: 'plain words → 不登校' },
	{ params: { q: '子供食堂' }, anyOf: ['s001-bousai-cn-bousai-kodomo-shokudo', 's002-kuruhouse', 's002-shukudai-cafe', 's002-ido-cafe', 's001-musubie-temaemiso'], why: '子供 → こども' },
	{ params: { q: 'こども食堂 室蘭' }, anyOf: ['s002-kuruhouse'], why: 'two words, one a place' },
	{ params: { q: 'ひきこもり' }, anyOf: ['s002-yasashii-cafe', 's002-aomushi-room', 's002-line-sodan', 's001-miel-kikuna-ibasho'], why: 'kana' },
	{ params: { q: '引きこもり' }, anyOf: ['s002-yasashii-cafe', 's002-aomushi-room', 's002-line-sodan', 's001-miel-kikuna-ibasho'], why: 'kanji variant' },
	{ params: { q: 'ＬＩＮＥ相談' }, anyOf: ['s002-line-sodan', 's002-rumoi-minna-no-sodan'], why: 'full-width Latin' },
	{ params: { q: 'ミャンマー' }, anyOf: ['s001-ltm-teiju-soudan'], why: 'exact' },
	{ params: { q: 'ビルマ' }, anyOf: ['s001-ltm-teiju-soudan'], why: 'synonym' },
	{ params: { q: 'フードパントリー', near: '船橋市', sort: 'distance' }, anyOf: ['s002-pantry-pickup'], why: 'nearest pantry' },
	{ params: { q: 'パントリー 船橋' }, anyOf: ['s002-pantry-pickup'], why: 'partial word' },
	{ params: { q: 'ひとり親' }, anyOf: ['s002-hitorioya-koryukai', 's002-pantry-pickup'], why: 'target' },
	{ params: { q: 'シングルマザー' }, anyOf: ['s002-hitorioya-koryukai', 's002-pantry-pickup'], why: 'variant of ひとり親' },
	{ params: { q: '母子家庭 食品' }, anyOf: ['s002-pantry-pickup', 's002-haiso-shokuhin-shien'], why: 'two words' },
	{ params: { q: 'メンズシェッド' }, anyOf: ['s002-mens-shed'], why: 'katakana title' },
	{ params: { q: '退職 男性' }, anyOf: ['s002-mens-shed', 's002-life-design-program', 's002-ore-no-kenko-marche', 's001-musubie-spice-curry'], why: 'retired men' },
	{ params: { q: 'シニア 札幌' }, anyOf: ['s002-shigoto-center-seikatsu-shien', 's002-chiisana-shigoto-koshukai', 's002-mens-shed'], why: 'Sapporo seniors' },
	{ params: { q: '外国人' }, anyOf: ['s002-gaikokuseki-kinkyu-shien', 's002-tabunka-ibasho', 's001-ltm-teiju-soudan'], why: 'synonym of 外国ルーツ' },
	{ params: { q: '多文化' }, anyOf: ['s002-tabunka-ibasho'], why: 'title' },
	{ params: { q: '話を聞いてほしい' }, anyOf: ['s002-fukushi-marugoto-sodanjo', 's002-line-sodan', 's002-rumoi-minna-no-sodan', 's001-ltm-teiju-soudan', 's004-ashitaba-consult', 's003-kirakira', 's001-rmj-online-kosodate-center', 's002-kinrin-daikazoku'], why: 'phrase → 相談' },
	{ params: { q: 'ごはん' }, anyOf: ['s001-sankakusha-yorimichi-gohan'], why: 'title' },
	{ params: { q: '食事' }, anyOf: ['s004-tanoba-shokudo', 's004-oideeru', 's003-wakkanai-flat', 's001-sankakusha-yorimichi-gohan', 's002-kuruhouse', 's001-bousai-cn-bousai-kodomo-shokudo'], why: 'synonym of 食堂' },
	{ params: { q: '働く若者' }, anyOf: ['s001-youthport-cafe'], why: 'target label' },
	{ params: { q: '就労体験' }, anyOf: ['s001-sankakusha-shuro-taiken'], why: 'title' },
	{ params: { q: 'ボードゲーム' }, anyOf: ['s001-sodateage-boardgame-cafe'], why: 'title' },
	{ params: { q: '吃音 中高生' }, anyOf: ['s004-zengenren-chukosei'], why: 'two words in title' },
	{ params: { q: '刑務所' }, anyOf: ['s002-retry-taiken-gakushu'], why: 'target label' },
	{ params: { q: 'DV' }, anyOf: ['s002-gaikokuseki-kinkyu-shien'], why: 'Latin in Japanese text' },
	{ params: { q: 'ラジオ体操' }, anyOf: ['s001-kotoen-radio-taiso'], why: 'title' },
	{ params: { q: '防災' }, anyOf: ['s001-bousai-cn-gokinjo-volunteer', 's001-bousai-cn-bousai-kodomo-shokudo'], why: 'title' },
	{ params: { q: 'トラウマ' }, anyOf: ['s001-onara-tic-training'], why: 'partial word' },
	{ params: { q: 'おもちゃ' }, anyOf: ['s003-arakawa-toy-library'], why: 'hiragana' },
	{ params: { q: 'ｶﾌｪ 若者' }, anyOf: ['s001-youthport-cafe', 's002-yasashii-cafe'], why: 'half-width katakana' },
	{ params: { q: 'こそだて 相談' }, anyOf: ['s003-kirakira', 's001-rmj-online-kosodate-center', 's000-kosodate-hiroba'], why: 'hiragana of 子育て' },
	{ params: { q: '性的マイノリティ' }, anyOf: ['s002-aomushi-room'], why: 'target label' },
	{ params: { q: '石巻' }, anyOf: ['s002-shuro-house', 's002-iyashi-event-outreach'], why: 'place name' },
	{ params: { q: '農園' }, anyOf: ['s002-tsunagaru-noen'], why: 'title' }
];

describe('relevance test set', () => {
	it('has at least 30 queries', () => expect(cases.length).toBeGreaterThanOrEqual(30));
	for (const c of cases) {
		it(`${JSON.stringify(c.params)} (${c.why})`, async () => {
			const top = await top5(c.params);
			expect(
				top.some((slug) => c.anyOf.includes(slug)),
				`top 5 was ${top.join(', ')}`
			).toBe(true);
		});
	}
	it('every expected slug exists in the demo region', () => {
		const known = new Set(slugById.values());
		for (const c of cases) for (const slug of c.anyOf) expect(known.has(slug), slug).toBe(true);
	});
});

describe('status', () => {
	it('does not offer programs that have ended', async () => {
		// 男・本気のスパイスカレー教室 ran as a series that has finished.
		expect(await top5({ q: 'スパイスカレー' })).toEqual([]);
	});
});

describe('ranking', () => {
	it('prefers a title match to a body match', async () => {
		// Its own two programs, so the page always holds both kinds: a word no demo program has,
		// once in a title and once only in a description. On a tie the body-only one would come
		// first (it has a date, the other none, and its title sorts first), so only the score
		// puts the title match ahead.
		const word = 'ルミナモ';
		const organizationId = await makeOrganization(database.db);
		const titleMatch = await makeProgram(database.db, organizationId, { edit: { title: `わ${word}の会`, summary: '集まり', description: '誰でもどうぞ。' }, schedule: null, today: clock.today });
		const bodyOnly = await makeProgram(database.db, organizationId, {
			edit: { title: 'あおぞら広場', summary: '集まり', description: `${word}について話します。` },
			schedule: { rrule: 'FREQ=WEEKLY;BYDAY=SA', dtstart: '2026-11-01' },
			today: clock.today
		});
		const result = await searchPrograms(database.db, finderQuery.parse({ q: word }), clock);
		expect(result.items.map((i) => i.id)).toEqual([titleMatch, bodyOnly]);
	});
	it('the word as typed outranks its synonyms', async () => {
		const [first] = (await searchPrograms(database.db, finderQuery.parse({ q: 'ごはん' }), clock)).items;
		expect(first.title).toContain('ごはん');
	});
});
