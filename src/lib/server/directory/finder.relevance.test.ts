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
import { relevanceCases, type RelevanceCase } from '../../../../tests/helpers/relevance';

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

/** Resident programs where a lonely person can meet people or talk. */
const LONELY = ['s001-rmj-music-event', 's001-sankakusha-yorimichi-gohan', 's001-youthport-cafe', 's002-line-sodan', 's002-yasashii-cafe', 's004-hachioji-food-cafe', 's002-marugoto-fureaikai', 's002-aomushi-room', 's004-oideeru'];
/** Resident programs with someone to talk to. */
const TALK = ['s002-line-sodan', 's002-hitorioya-koryukai', 's002-yasashii-cafe', 's002-marugoto-fureaikai', 's001-miel-community-cafe', 's002-kinrin-daikazoku', 's004-hachioji-food-cafe', 's002-aomushi-room', 's001-ysc-hachifuku'];

const cases: RelevanceCase[] = [
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
	{ params: { q: 'トラウマ' }, anyOf: ['s001-onara-onara-cafe'], why: 'partial word (the training of the same name is for supporters)' },
	{ params: { q: 'トラウマ', audience: 'supporters' }, anyOf: ['s001-onara-tic-training'], why: 'partial word, for supporters' },
	{ params: { q: 'おもちゃ' }, anyOf: ['s003-arakawa-toy-library'], why: 'hiragana' },
	{ params: { q: 'ｶﾌｪ 若者' }, anyOf: ['s001-youthport-cafe', 's002-yasashii-cafe'], why: 'half-width katakana' },
	{ params: { q: 'こそだて 相談' }, anyOf: ['s003-kirakira', 's001-rmj-online-kosodate-center', 's000-kosodate-hiroba'], why: 'hiragana of 子育て' },
	{ params: { q: '性的マイノリティ' }, anyOf: ['s002-aomushi-room'], why: 'target label' },
	{ params: { q: '石巻' }, anyOf: ['s002-shuro-house', 's002-iyashi-event-outreach'], why: 'place name' },
	{ params: { q: '農園' }, anyOf: ['s002-tsunagaru-noen'], why: 'title' },
	// Feelings and everyday words: resident programs where people meet and talk.
	{ params: { q: 'さみしい' }, anyOf: LONELY, why: 'feeling → 孤独, resident programs' },
	{ params: { q: '寂しい' }, anyOf: LONELY, why: 'kanji of さみしい' },
	{ params: { q: '孤独' }, anyOf: LONELY, why: 'the word itself' },
	{ params: { q: '孤立' }, anyOf: LONELY, why: 'synonym of 孤独' },
	{ params: { q: '話し相手がほしい' }, anyOf: TALK, why: 'feeling → someone to talk to' },
	{ params: { q: '一人暮らし' }, anyOf: ['s004-oideeru', 's002-marugoto-fureaikai', 's002-yasashii-cafe', 's001-kotoen-radio-taiso', 's002-chiiki-jumin-tsudoi'], why: 'life situation (target 一人暮らし)' },
	{ params: { q: 'ひとり暮らし 高齢者' }, anyOf: ['s002-marugoto-fureaikai', 's002-chiiki-jumin-tsudoi', 's004-oideeru', 's001-kotoen-radio-taiso'], why: 'hiragana variant with a second word' },
	{ params: { q: '高齢者 サロン' }, anyOf: ['s001-ysc-hachifuku', 's002-free-space-circle', 's002-kinrin-daikazoku', 's001-miel-community-cafe'], why: 'サロン → 居場所・カフェ' },
	{ params: { q: 'お茶会' }, anyOf: ['s002-marugoto-fureaikai', 's002-community-cafe-monozukuri'], why: 'a gathering by its name' },
	{ params: { q: '仲間づくり' }, anyOf: ['s004-fumanet-class', 's002-chiiki-jumin-tsudoi', 's002-chiisana-shigoto-koshukai'], why: 'what people come for' },
	{ params: { q: '居場所' }, anyOf: ['s002-tsunagaru-noen', 's001-sankakusha-ibasho', 's002-aomushi-room', 's001-tanotsuku-ibasho', 's001-mammies-oyako-ibasho', 's001-roje-spark'], why: 'form label, resident programs' },
	{ params: { q: '子育て 孤立' }, anyOf: ['s001-rmj-music-event', 's003-hot-hiroba'], why: 'a parent who feels alone' },
	{ params: { q: 'ひきこもり 相談' }, anyOf: ['s002-aomushi-room', 's002-line-sodan', 's002-yasashii-cafe', 's004-ashitaba-consult'], why: 'two words' },
	{ params: { q: '研修' }, anyOf: ['s004-fumanet-supporter', 's002-chiisana-shigoto-koshukai'], why: 'residents first: trainings a resident can take' },
	// Audience: supporters' programs when they are asked for.
	{ params: { q: '研修', audience: 'supporters' }, anyOf: ['s001-onara-tic-training', 's002-shiensha-kenshu', 's002-hogosha-shien-kenshu', 's001-mammies-shiensha-kenshu'], why: 'trainings for supporters' },
	{ params: { q: '月例会', audience: 'supporters' }, anyOf: ['s001-fb8-getsureikai'], why: 'a monthly network meeting' },
	{ params: { q: '孤独', audience: 'supporters' }, anyOf: ['s001-fb8-getsureikai', 's002-shiensha-kenshu', 's002-kyodo-project-shien'], why: 'supporters working on loneliness' },
	{ params: { q: 'ネットワーク', audience: 'supporters' }, anyOf: ['s002-banet', 's003-koyurunet-koukankai', 's002-machi-no-shigotoba'], why: 'networks of organisations' },
	{ params: { q: '月例会', audience: 'all' }, anyOf: ['s001-fb8-getsureikai'], why: 'everyone: both audiences' },
	{ params: { q: '情報交換', audience: 'supporters' }, anyOf: ['s003-koyurunet-koukankai'], why: 'a meeting to share information' }
];

relevanceCases('relevance test set', cases, { atLeast: 50, top5, knownSlugs: () => slugById.values() });

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

describe('audience', () => {
	const search = (params: Record<string, string>) => searchPrograms(database.db, finderQuery.parse({ per_page: '100', ...params }), clock);
	const audienceOf = new Map<string, string>();
	beforeAll(async () => {
		for (const row of await database.db.select({ slug: programs.slug, audience: programs.audience }).from(programs)) audienceOf.set(row.slug, row.audience);
	});

	it('the demo region has supporters’ programs, marked from their own text', () => {
		for (const slug of ['s001-fb8-getsureikai', 's004-hachioji-platform', 's001-onara-tic-training', 's002-shiensha-kenshu', 's003-koyurunet-koukankai']) expect(audienceOf.get(slug), slug).toBe('supporters');
		for (const slug of ['s002-marugoto-fureaikai', 's002-mens-shed', 's004-fumanet-supporter']) expect(audienceOf.get(slug), slug).toBe('residents');
	});

	for (const q of ['さみしい', '話し相手がほしい', '孤独', '居場所']) {
		it(`${q}: no supporters’ program among the results, and the supporters’ ones counted apart`, async () => {
			const result = await search({ q });
			expect(result.items.length).toBeGreaterThan(0);
			expect(result.items[0].audience).toBe('residents');
			expect(result.items.filter((i) => i.audience !== 'residents').map((i) => slugById.get(i.id))).toEqual([]);
			expect(result.supportersTotal).not.toBeNull();
		});
	}

	it('さみしい counts the 月例会 of supporters without listing it', async () => {
		const result = await search({ q: 'さみしい' });
		expect(result.items.map((i) => slugById.get(i.id))).not.toContain('s001-fb8-getsureikai');
		expect(result.supportersTotal).toBeGreaterThanOrEqual(1);
		const supporters = await search({ q: 'さみしい', audience: 'supporters' });
		expect(supporters.total).toBe(result.supportersTotal);
		expect(supporters.items.map((i) => slugById.get(i.id))).toContain('s001-fb8-getsureikai');
	});

	it('audience=supporters lists only supporters’ programs and counts nothing apart', async () => {
		const result = await search({ q: '研修', audience: 'supporters' });
		expect(result.items.length).toBeGreaterThan(0);
		expect(new Set(result.items.map((i) => i.audience))).toEqual(new Set(['supporters']));
		expect(result.supportersTotal).toBeNull();
	});

	it('audience=all lists both, as many as the two searches apart', async () => {
		const [all, residents] = [await search({ q: '研修', audience: 'all' }), await search({ q: '研修' })];
		expect(new Set(all.items.map((i) => i.audience))).toEqual(new Set(['residents', 'supporters']));
		expect(all.total).toBe(residents.total + residents.supportersTotal!);
	});

	for (const params of [{ q: '研修' }, { q: '孤独' }, { q: '研修', sort: 'next' }, {}] as Array<Record<string, string>>) {
		it(`audience=all ${JSON.stringify(params)}: residents’ programs first, supporters’ after, across pages`, async () => {
			const first = await search({ ...params, audience: 'all' });
			const audiences = first.items.map((i) => i.audience);
			for (let page = 2; (page - 1) * 100 < first.total; page++) audiences.push(...(await search({ ...params, audience: 'all', page: String(page) })).items.map((i) => i.audience));
			expect(audiences).toHaveLength(first.total);
			expect(audiences).toContain('supporters');
			expect(audiences).toEqual([...audiences].sort((a, b) => Number(a === 'supporters') - Number(b === 'supporters')));
		});
	}

	it('without words: the whole list is residents’ programs', async () => {
		const result = await search({});
		expect(result.items.every((i) => i.audience === 'residents')).toBe(true);
		// Ended programs are left out of both.
		expect(result.supportersTotal).toBeGreaterThan(0);
		expect(result.supportersTotal).toBe((await search({ audience: 'supporters' })).total);
	});
});

describe('partial matches', () => {
	const search = (params: Record<string, string>) => searchPrograms(database.db, finderQuery.parse({ per_page: '20', ...params }), clock);
	const slugsOf = (items: Array<{ id: string }>) => items.map((i) => slugById.get(i.id)!);

	it('高齢者 サロン 無料: nothing has all three, so the salons without 『無料』 come first, as typed', async () => {
		const result = await search({ q: '高齢者 サロン 無料' });
		expect(result.total).toBeLessThan(3);
		expect(result.partial.length).toBeGreaterThan(0);
		expect(result.partial[0].missing).toEqual(['無料']);
		expect(result.partial[0].total).toBeGreaterThanOrEqual(5);
		expect(slugsOf(result.partial[0].items).some((s) => ['s001-ysc-hachifuku', 's002-free-space-circle', 's002-kinrin-daikazoku', 's001-miel-community-cafe'].includes(s))).toBe(true);
		// The largest group first; katakana shown as typed (not the folded さろん).
		for (let i = 1; i < result.partial.length; i++) expect(result.partial[i].total).toBeLessThanOrEqual(result.partial[i - 1].total);
		expect(result.partial.flatMap((g) => g.missing)).not.toContain('さろん');
		expect(result.partial.flatMap((g) => g.items).every((i) => i.audience === 'residents')).toBe(true);
	});

	it('ひきこもり 相談 40代: 40代 also reads as 中高年, so the full matches are enough and nothing is relaxed', async () => {
		const result = await search({ q: 'ひきこもり 相談 40代' });
		expect(result.total).toBeGreaterThanOrEqual(3);
		expect(result.partial).toEqual([]);
	});

	it('a full match is never listed again among the partial matches', async () => {
		const result = await search({ q: '高齢者 サロン 無料' });
		expect(result.items.length).toBeGreaterThan(0);
		const full = new Set(result.items.map((i) => i.id));
		expect(result.partial.flatMap((g) => g.items).some((i) => full.has(i.id))).toBe(false);
	});

	it('when leaving out one word is not enough, each word alone', async () => {
		const result = await search({ q: 'ズブロフカ ヌガーノ 不登校' });
		expect(result.total).toBe(0);
		expect(result.partial[0].missing).toEqual(['ズブロフカ', 'ヌガーノ']);
		expect(slugsOf(result.partial[0].items).some((s) => ['s001-tanotsuku-weekday-morning', 's001-sodateage-boardgame-cafe', 's001-miel-oya-no-kai'].includes(s))).toBe(true);
	});

	it('an excluded word stays excluded in the partial matches (高齢者 サロン 無料 -東京)', async () => {
		const withTokyo = await search({ q: '高齢者 サロン 無料' });
		const tokyoIds = new Set(
			withTokyo.partial
				.flatMap((g) => g.items)
				.filter((i) => i.place?.prefecture === '東京都')
				.map((i) => i.id)
		);
		expect(tokyoIds.size).toBeGreaterThan(0);
		const result = await search({ q: '高齢者 サロン 無料 -東京' });
		expect(result.partial.length).toBeGreaterThan(0);
		expect(result.partial.flatMap((g) => g.missing)).not.toContain('東京');
		expect(result.partial.flatMap((g) => g.items).filter((i) => tokyoIds.has(i.id))).toEqual([]);
	});

	it('enough full matches, one word, or a later page: no partial matches', async () => {
		expect((await search({ q: '高齢者 サロン' })).partial).toEqual([]);
		expect((await search({ q: 'ズブロフカ' })).partial).toEqual([]);
		expect((await search({ q: '高齢者 サロン 無料', page: '2' })).partial).toEqual([]);
	});
});
