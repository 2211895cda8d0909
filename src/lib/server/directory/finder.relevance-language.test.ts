/**
 * Relevance for the words residents type, through the language layer: feelings and life events,
 * typos (with 「もしかして」), romaji, readings, mixed scripts, full-width input and exclusions,
 * against the demo region. Each query lists programs that must appear in the top 5 (any one of `anyOf`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../db';
import { searchPrograms } from './finder/index';
import { finderQuery } from './finder-query';
import { programs } from './schema';
import { relevanceCases, type RelevanceCase } from '../../../../tests/helpers/relevance';
import { makeOrganizationWithProgram, uniqueTag } from '../../../../tests/helpers/factories';

let database: Database;
const slugById = new Map<string, string>();
const clock = { now: new Date('2026-12-02T03:00:00Z'), today: '2026-12-02' };

beforeAll(async () => {
	database = await testDatabase();
	for (const row of await database.db.select({ id: programs.id, slug: programs.slug }).from(programs)) slugById.set(row.id, row.slug);
});
afterAll(() => database.close());

async function search(params: Record<string, string>, perPage = '5') {
	const result = await searchPrograms(database.db, finderQuery.parse({ per_page: perPage, ...params }), clock);
	return { ...result, slugs: result.items.map((i) => slugById.get(i.id)!) };
}

const ibasho = [
	's002-marugoto-fureaikai',
	's002-chiiki-jumin-tsudoi',
	's002-free-space-circle',
	's001-ysc-hachifuku',
	's001-tanotsuku-ibasho',
	's002-kinrin-daikazoku',
	's001-miel-community-cafe',
	's002-community-cafe-monozukuri',
	's002-tsunagaru-noen',
	's002-yasashii-cafe',
	's004-hachioji-food-cafe',
	's002-tomoni-center',
	's001-sankakusha-ibasho',
	's002-aomushi-room',
	's001-pluscare-kurashi-no-hokenshitsu',
	's001-pluscare-tonari-bunko'
];
const retired = ['s002-mens-shed', 's002-life-design-program', 's002-ore-no-kenko-marche', 's001-musubie-spice-curry', 's002-chiiki-sedaikan-koryu'];
const schoolRefusal = ['s001-tanotsuku-weekday-morning', 's001-sodateage-boardgame-cafe', 's001-miel-oya-no-kai', 's000-q-base', 's001-clack-techrie-saginomiya', 's002-shuro-house', 's001-kyoikushien-peer-supporter', 's001-miel-kikuna-ibasho'];
const hikikomori = ['s002-yasashii-cafe', 's002-aomushi-room', 's002-line-sodan', 's001-miel-kikuna-ibasho', 's001-kyoikushien-peer-supporter', 's004-ashitaba-consult', 's004-ashitaba-work', 's002-kyoju-shien'];
const kodomoShokudo = ['s001-bousai-cn-bousai-kodomo-shokudo', 's002-kuruhouse', 's002-shukudai-cafe', 's002-ido-cafe', 's001-musubie-temaemiso', 's001-musubie-spice-curry', 's003-wakkanai-flat', 's004-oideeru'];
const sapporo = ['s002-shigoto-center-seikatsu-shien', 's002-chiisana-shigoto-koshukai', 's002-mens-shed', 's002-chiiki-sedaikan-koryu', 's004-fumanet-class', 's004-fumanet-supporter'];

const cases: RelevanceCase[] = [
	// Feelings
	{ params: { q: 'さみしい' }, anyOf: ibasho, why: 'feeling → 居場所・交流' },
	{ params: { q: '寂しい' }, anyOf: ibasho, why: 'kanji spelling of the feeling' },
	{ params: { q: '淋しい' }, anyOf: ibasho, why: 'rarer kanji spelling' },
	{ params: { q: 'さみしいです' }, anyOf: ibasho, why: 'sentence: です dropped' },
	{ params: { q: '話し相手がほしい' }, anyOf: ibasho, why: 'sentence → 話し相手 → 居場所・交流' },
	{ params: { q: '話し相手が欲しい' }, anyOf: ibasho, why: 'kanji 欲しい' },
	{ params: { q: 'ひとりぼっち' }, anyOf: ibasho, why: 'feeling word' },
	{ params: { q: 'おしゃべりしたい' }, anyOf: ibasho, why: 'verb phrase' },
	{ params: { q: '友達がほしい' }, anyOf: ibasho, why: '友達 → 交流' },
	// Life events
	{ params: { q: '仕事を辞めた' }, anyOf: retired, why: 'life event → 退職後' },
	{ params: { q: '会社を辞めました' }, anyOf: retired, why: 'polite form, base form 辞める' },
	{ params: { q: '定年' }, anyOf: retired, why: 'one-word trigger' },
	{ params: { q: '定年退職した' }, anyOf: retired, why: 'compound + した' },
	{ params: { q: '定年 男の居場所' }, anyOf: retired, why: 'two needs' },
	{ params: { q: '学校に行けない' }, anyOf: schoolRefusal, why: 'life event → 不登校' },
	{ params: { q: '息子が学校に行けない' }, anyOf: schoolRefusal, why: '息子 absorbed by the need' },
	{ params: { q: '学校を休んでいる' }, anyOf: schoolRefusal, why: '休む → 不登校' },
	{ params: { q: '子どもが学校に行きたがらない' }, anyOf: schoolRefusal, why: 'longer sentence' },
	{ params: { q: '息子が家から出られない' }, anyOf: hikikomori, why: '家 出る → ひきこもり' },
	{ params: { q: '子育てがつらい' }, anyOf: ['s003-kirakira', 's001-rmj-online-kosodate-center', 's000-kosodate-hiroba', 's003-hot-hiroba', 's001-mammies-oyako-ibasho', 's001-miel-oya-no-kai'], why: 'feeling about parenting' },
	{ params: { q: '話を聞いてほしい' }, anyOf: ['s002-fukushi-marugoto-sodanjo', 's002-line-sodan', 's002-rumoi-minna-no-sodan', 's001-ltm-teiju-soudan', 's004-ashitaba-consult', 's003-kirakira', 's001-rmj-online-kosodate-center', 's002-kinrin-daikazoku'], why: 'phrase → 相談 (kept)' },
	{ params: { q: 'こども食堂に行きたい' }, anyOf: kodomoShokudo, why: 'content noun of a sentence' },
	// Typos (homophones and near spellings)
	{ params: { q: 'こども食道' }, anyOf: kodomoShokudo, why: 'homophone typo 食道 → 食堂' },
	{ params: { q: '子供食道' }, anyOf: kodomoShokudo, why: 'homophone typo with 子供' },
	{ params: { q: '不登効' }, anyOf: schoolRefusal, why: 'homophone typo 効 → 校' },
	{ params: { q: 'めんずしぇど' }, anyOf: ['s002-mens-shed'], why: 'hiragana, a letter short' },
	{ params: { q: 'こども食道 室蘭' }, anyOf: ['s002-kuruhouse'], why: 'typo beside a good word' },
	{ params: { q: 'ぼーどげーむ' }, anyOf: ['s001-sodateage-boardgame-cafe'], why: 'katakana word typed in hiragana' },
	// Readings
	{ params: { q: 'ふとうこう' }, anyOf: schoolRefusal, why: 'reading of 不登校' },
	{ params: { q: 'こどもしょくどう' }, anyOf: kodomoShokudo, why: 'reading of こども食堂' },
	{ params: { q: 'さっぽろ' }, anyOf: sapporo, why: 'reading of 札幌' },
	{ params: { q: 'むろらん' }, anyOf: ['s002-kuruhouse', 's002-line-sodan', 's002-yasashii-cafe'], why: 'reading of 室蘭' },
	{ params: { q: 'いしのまき' }, anyOf: ['s002-shuro-house', 's002-iyashi-event-outreach'], why: 'reading of 石巻' },
	{ params: { q: 'きつおん' }, anyOf: ['s004-zengenren-chukosei', 's004-genyukai', 's004-zengenren-shuro'], why: 'reading of 吃音' },
	// Romaji and mixed scripts
	{ params: { q: 'sapporo' }, anyOf: sapporo, why: 'romaji place' },
	{ params: { q: 'Sapporo' }, anyOf: sapporo, why: 'capitalised romaji' },
	{ params: { q: 'hikikomori' }, anyOf: hikikomori, why: 'romaji → ひきこもり' },
	{ params: { q: 'futoukou' }, anyOf: schoolRefusal, why: 'romaji → reading of 不登校' },
	{ params: { q: 'kodomo shokudou' }, anyOf: kodomoShokudo, why: 'two romaji words' },
	{ params: { q: 'muroran kodomo' }, anyOf: ['s002-kuruhouse'], why: 'romaji place + word' },
	{ params: { q: 'sapporo シニア' }, anyOf: sapporo, why: 'romaji + katakana' },
	{ params: { q: '子どもshokudou' }, anyOf: kodomoShokudo, why: 'kanji + romaji in one word' },
	{ params: { q: 'ishinomaki' }, anyOf: ['s002-shuro-house', 's002-iyashi-event-outreach'], why: 'romaji place' },
	// Sudachi's synonym dictionary (search/thesaurus.ts): words neither our groups nor the programs' texts have
	{ params: { q: '玩具' }, anyOf: ['s003-arakawa-toy-library', 's003-arakawa-kids-baby-festa', 's003-kagarinosato-matsuri'], why: 'Sudachi: 玩具 = おもちゃ (before, only as a 「もしかして」 by its reading)' },
	{ params: { q: '職安' }, anyOf: ['s004-ashitaba-work'], why: 'Sudachi: 職安 = ハローワーク (its description names ハローワーク)' },
	{ params: { q: '一人住まい' }, anyOf: ['s002-marugoto-fureaikai', 's002-chiiki-jumin-tsudoi', 's004-oideeru'], why: 'Sudachi: 一人住まい = 一人暮らし' },
	{ params: { q: '心的外傷' }, anyOf: ['s001-onara-onara-cafe'], why: 'Sudachi: 心的外傷 = トラウマ (a place run with trauma in mind)' },
	{ params: { q: 'カウンセラー' }, anyOf: ['s002-line-sodan', 's002-rumoi-minna-no-sodan', 's001-sodateage-boardgame-cafe'], why: 'Sudachi: カウンセラー = 相談員' },
	// Full-width
	{ params: { q: 'ｓａｐｐｏｒｏ' }, anyOf: sapporo, why: 'full-width romaji' },
	{ params: { q: 'ｈｉｋｉｋｏｍｏｒｉ' }, anyOf: hikikomori, why: 'full-width romaji word' },
	{ params: { q: '不登校　相談' }, anyOf: schoolRefusal, why: 'full-width space' },
	{ params: { q: 'ﾒﾝｽﾞｼｪｯﾄﾞ' }, anyOf: ['s002-mens-shed'], why: 'half-width katakana' },
	// Exclusions
	{ params: { q: '不登校 -東京' }, anyOf: ['s001-miel-oya-no-kai', 's000-q-base', 's002-shuro-house', 's001-kyoikushien-peer-supporter', 's001-miel-kikuna-ibasho'], why: 'minus drops Tokyo' },
	{ params: { q: 'こども食堂 －北海道' }, anyOf: ['s001-bousai-cn-bousai-kodomo-shokudo', 's002-shukudai-cafe', 's002-ido-cafe', 's001-musubie-temaemiso', 's004-oideeru'], why: 'full-width minus' },
	{ params: { q: 'ひきこもり -室蘭' }, anyOf: ['s002-aomushi-room', 's001-miel-kikuna-ibasho', 's004-ashitaba-consult', 's002-kyoju-shien', 's001-kyoikushien-peer-supporter'], why: 'minus a place' }
];

relevanceCases('relevance for the words residents type', cases, { atLeast: 45, top5: async (params) => (await search(params)).slugs, knownSlugs: () => slugById.values() });

describe('typos, exclusions and needs, behaviour', () => {
	it('says what a corrected query was corrected to', async () => {
		expect((await search({ q: 'こども食道' })).didYouMean).toMatch(/食堂$/);
		expect((await search({ q: '不登効' })).didYouMean).toBe('不登校');
		expect((await search({ q: 'こども食道 室蘭' })).didYouMean).toMatch(/食堂 室蘭$/);
	});
	it("a synonym from Sudachi's dictionary is found as it is, not as a typo", async () => {
		for (const q of ['玩具', '職安']) {
			const result = await search({ q });
			expect(result.total, q).toBeGreaterThan(0);
			expect(result.didYouMean, q).toBeNull();
		}
	});
	it('does not correct a word that finds something', async () => {
		const result = await search({ q: 'こども食堂' });
		expect(result.total).toBeGreaterThan(0);
		expect(result.didYouMean).toBeNull();
	});
	it('夫を亡くした: the region has no grief program, so nothing, and no made-up correction', async () => {
		for (const q of ['夫を亡くした', '妻が亡くなりました']) {
			const result = await search({ q });
			expect(result.total, q).toBe(0);
			expect(result.didYouMean, q).toBeNull();
		}
	});
	it('a word nothing resembles stays uncorrected', async () => {
		const result = await search({ q: 'ぱぴぷぺぽ' });
		expect(result.total).toBe(0);
		expect(result.didYouMean).toBeNull();
	});
	it('-word drops every program containing the word', async () => {
		const all = await search({ q: '不登校' }, '100');
		const without = await search({ q: '不登校 -東京' }, '100');
		expect(without.total).toBeGreaterThan(0);
		expect(without.total).toBeLessThan(all.total);
		expect(without.items.every((i) => i.place?.prefecture !== '東京都')).toBe(true);
	});
	it('無料 and 子育て match what says so, not a short synonym inside other words (walk: 高齢者 サロン 無料)', async () => {
		// 「ご参加いただけます」 says nothing of cost, but held ただ (タダ, a synonym of 無料).
		const { programId } = await makeOrganizationWithProgram(database.db, { edit: { title: `手芸の会${uniqueTag()}`, description: 'どなたでもご参加いただけます。', cost: { kind: 'unknown', amountYen: null, note: null } } });
		const free = await searchPrograms(database.db, finderQuery.parse({ q: '無料', per_page: '100' }), clock);
		expect(free.total).toBeGreaterThan(0);
		expect(free.items.map((i) => i.id)).not.toContain(programId);
		// 高浜町 is read たかはまちょう / たかはままち: まま (ママ, a synonym of 子育て) is no parenting program.
		expect((await search({ q: '子育て' }, '100')).slugs).not.toContain('s004-kenko-cafe');
	});
	it('a query of exclusions only is no text', async () => {
		expect((await search({ q: '-東京' }, '100')).total).toBe((await search({}, '100')).total);
	});
});
