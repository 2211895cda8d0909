/**
 * A synthetic national region for benchmarks: organisations, programs, places and schedules over
 * all 47 prefectures, in plain Japanese built from the demo region's vocabulary.
 *
 * The generator makes `OrganizationInput` values (the shape the demo loader and the staff editor
 * save) and turns them into rows with the row functions `saveOrganization` uses
 * (src/lib/server/directory/save.ts), so derived search fields are the app's own, but writes them in large multi-row inserts inside one transaction instead
 * of one program at a time. Upcoming dates come from the app's own `expandSchedule`, the function
 * `refreshUpcomingDates` uses, memoised over identical schedules (see `rebuildUpcomingDates`).
 *
 * Deterministic: the same sizes and seed give the same rows, ids included (upcoming dates also
 * depend on the day they are computed for).
 */
import { getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Pool, Tx } from '../src/lib/server/db';
import { organizations, programs, locations, programLocations, programPartners, schedules, programUpcomingDates } from '../src/lib/server/directory/schema';
import { organizationInput, type OrganizationInput, type ProgramInput, type LocationInput, type ScheduleInput } from '../src/lib/server/directory/model';
import { locationRow, organizationRow, programRow, saveTaxonomies, scheduleRow } from '../src/lib/server/directory/save';
import { addDays, expandSchedule, localDay, type ScheduleRule } from '../src/lib/server/directory/schedule';
import { UPCOMING_HORIZON_DAYS, updateNextOccurrences } from '../src/lib/server/directory/upcoming';
import { label, taxonomy } from '../src/lib/server/directory/taxonomy';
import { readDemoDataset } from '../src/lib/server/directory/demo/load';

// ───────────────────────────────────────────────────────────── sizes

export interface RegionSizes {
	organizations: number;
	programs: number;
	locations: number;
}

export const FULL_SIZES: RegionSizes = { organizations: 20_000, programs: 100_000, locations: 150_000 };

/** Sizes for a number of programs, keeping the full region's proportions unless told otherwise. */
export function sizesFor(overrides: Partial<RegionSizes> = {}): RegionSizes {
	const programCount = overrides.programs ?? FULL_SIZES.programs;
	const scale = programCount / FULL_SIZES.programs;
	return {
		programs: programCount,
		organizations: overrides.organizations ?? Math.max(1, Math.round(FULL_SIZES.organizations * scale)),
		locations: overrides.locations ?? Math.round(FULL_SIZES.locations * scale)
	};
}

// ───────────────────────────────────────────────────────────── deterministic randomness

/** sfc32, seeded through splitmix32: small, fast and good enough for synthetic data. */
export class Rng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;
	constructor(seed: number) {
		let s = seed >>> 0;
		const next = () => {
			s = (s + 0x9e3779b9) >>> 0;
			let z = s;
			z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
			z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
			return (z ^ (z >>> 16)) >>> 0;
		};
		this.a = next();
		this.b = next();
		this.c = next();
		this.d = next();
		for (let i = 0; i < 12; i++) this.u32();
	}
	u32(): number {
		const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
		this.d = (this.d + 1) >>> 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) >>> 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) >>> 0;
		return t;
	}
	next(): number {
		return this.u32() / 4294967296;
	}
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}
	/** Items given as [value, weight] pairs. */
	weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
		let total = 0;
		for (const [, w] of items) total += w;
		let r = this.next() * total;
		for (const [v, w] of items) {
			r -= w;
			if (r < 0) return v;
		}
		return items[items.length - 1][0];
	}
	/** Up to `n` distinct items. */
	sample<T>(items: readonly T[], n: number): T[] {
		const pool = [...items];
		const out: T[] = [];
		while (out.length < n && pool.length) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]);
		return out;
	}
	/** Roughly normal, mean 0, sd 1. */
	normal(): number {
		return this.next() + this.next() + this.next() + this.next() - 2;
	}
	uuid(): string {
		const h = (n: number) => n.toString(16).padStart(8, '0');
		const a = h(this.u32());
		const b = h(this.u32());
		const c = h(((this.u32() & 0x0fffffff) | 0x40000000) >>> 0); // version 4
		const d = h(((this.u32() & 0x3fffffff) | 0x80000000) >>> 0); // RFC 4122 variant
		return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`.replace(/^(.{8})-(.{4})-(.{4})-(.{4})-(.{4})(.{4})(.{8})$/, (_, p1, p2, p3, p4, p5, p6, p7) => `${p1}-${p2}-${p4}-${p6.slice(0, 4)}-${p5}${p7}`);
	}
}

// ───────────────────────────────────────────────────────────── places

/**
 * Prefectures in JIS order with a population weight (10,000s) and a selection of their 市区町村
 * (largest first) with approximate centres. Cities further down a list are drawn less often.
 */
const PLACE_DATA: Array<[prefecture: string, population: number, cities: string]> = [
	[
		'北海道',
		514,
		'札幌市中央区,43.055,141.341;札幌市北区,43.091,141.341;札幌市東区,43.076,141.363;札幌市白石区,43.047,141.405;札幌市豊平区,43.031,141.380;旭川市,43.771,142.365;函館市,41.769,140.729;札幌市南区,42.990,141.353;札幌市西区,43.074,141.301;札幌市厚別区,43.036,141.475;札幌市手稲区,43.122,141.245;札幌市清田区,43.000,141.444;釧路市,42.985,144.381;苫小牧市,42.634,141.606;帯広市,42.924,143.196;小樽市,43.190,140.995;北見市,43.804,143.895;江別市,43.104,141.536;室蘭市,42.315,140.974;千歳市,42.821,141.652;岩見沢市,43.196,141.776;恵庭市,42.883,141.578;北広島市,42.986,141.563;石狩市,43.171,141.316;稚内市,45.416,141.673;網走市,44.021,144.274;名寄市,44.356,142.463;留萌市,43.941,141.637;余市町,43.196,140.783;利尻町,45.180,141.138'
	],
	['青森県', 120, '青森市,40.822,140.747;八戸市,40.512,141.488;弘前市,40.603,140.464;十和田市,40.613,141.206;むつ市,41.293,141.183;五所川原市,40.808,140.440;三沢市,40.683,141.369;黒石市,40.642,140.595'],
	['岩手県', 118, '盛岡市,39.702,141.154;一関市,38.934,141.127;奥州市,39.144,141.139;花巻市,39.389,141.113;北上市,39.287,141.113;宮古市,39.641,141.957;滝沢市,39.735,141.077;大船渡市,39.082,141.708;釜石市,39.276,141.886'],
	[
		'宮城県',
		228,
		'仙台市青葉区,38.268,140.870;仙台市泉区,38.321,140.882;仙台市太白区,38.224,140.877;仙台市宮城野区,38.260,140.900;仙台市若林区,38.240,140.900;石巻市,38.434,141.303;大崎市,38.577,140.956;名取市,38.172,140.892;登米市,38.692,141.188;栗原市,38.730,141.021;多賀城市,38.294,141.004;塩竈市,38.314,141.022;気仙沼市,38.908,141.570;亘理町,38.038,140.853'
	],
	['秋田県', 93, '秋田市,39.720,140.103;横手市,39.311,140.553;大仙市,39.453,140.475;由利本荘市,39.386,140.048;大館市,40.272,140.564;能代市,40.212,140.027;湯沢市,39.164,140.495;男鹿市,39.887,139.848'],
	['山形県', 104, '山形市,38.255,140.340;鶴岡市,38.727,139.827;酒田市,38.914,139.836;米沢市,37.922,140.117;天童市,38.362,140.378;東根市,38.431,140.391;寒河江市,38.381,140.277;新庄市,38.765,140.301'],
	['福島県', 179, '郡山市,37.400,140.360;いわき市,37.050,140.888;福島市,37.761,140.474;会津若松市,37.495,139.930;須賀川市,37.286,140.372;白河市,37.126,140.211;南相馬市,37.642,140.957;伊達市,37.819,140.563;二本松市,37.585,140.431'],
	[
		'茨城県',
		284,
		'水戸市,36.366,140.471;つくば市,36.083,140.076;日立市,36.599,140.651;ひたちなか市,36.397,140.535;古河市,36.178,139.755;土浦市,36.079,140.204;取手市,35.912,140.050;筑西市,36.307,139.983;神栖市,35.890,140.665;牛久市,35.979,140.150;龍ケ崎市,35.912,140.182;守谷市,35.951,139.975;常総市,36.024,139.994'
	],
	['栃木県', 191, '宇都宮市,36.555,139.883;小山市,36.315,139.800;栃木市,36.382,139.734;足利市,36.340,139.450;那須塩原市,36.962,140.046;佐野市,36.314,139.578;鹿沼市,36.567,139.745;真岡市,36.440,140.013;日光市,36.720,139.698'],
	['群馬県', 191, '高崎市,36.322,139.003;前橋市,36.391,139.061;太田市,36.291,139.376;伊勢崎市,36.312,139.197;桐生市,36.405,139.331;館林市,36.245,139.542;渋川市,36.489,139.000;藤岡市,36.259,139.074;安中市,36.326,138.887'],
	[
		'埼玉県',
		733,
		'さいたま市浦和区,35.861,139.645;さいたま市大宮区,35.906,139.624;川口市,35.808,139.724;川越市,35.925,139.486;所沢市,35.799,139.469;越谷市,35.891,139.791;さいたま市南区,35.845,139.645;さいたま市見沼区,35.935,139.654;草加市,35.825,139.806;春日部市,35.975,139.752;上尾市,35.977,139.593;熊谷市,36.147,139.389;新座市,35.794,139.565;久喜市,36.062,139.667;さいたま市中央区,35.884,139.626;狭山市,35.853,139.412;入間市,35.836,139.391;朝霞市,35.797,139.594;戸田市,35.817,139.678;三郷市,35.830,139.873;深谷市,36.197,139.281;坂戸市,35.957,139.403;飯能市,35.856,139.328;秩父市,35.992,139.086'
	],
	[
		'千葉県',
		627,
		'船橋市,35.695,139.983;松戸市,35.788,139.903;市川市,35.722,139.931;柏市,35.868,139.976;千葉市中央区,35.607,140.106;市原市,35.498,140.116;千葉市花見川区,35.663,140.072;千葉市稲毛区,35.637,140.092;千葉市若葉区,35.634,140.157;千葉市緑区,35.561,140.216;千葉市美浜区,35.640,140.063;八千代市,35.722,140.100;流山市,35.856,139.903;習志野市,35.681,140.027;佐倉市,35.724,140.224;浦安市,35.653,139.902;野田市,35.955,139.875;木更津市,35.376,139.917;成田市,35.777,140.318;我孫子市,35.864,140.028;銚子市,35.735,140.827;旭市,35.720,140.647;館山市,34.997,139.870;匝瑳市,35.708,140.564'
	],
	[
		'東京都',
		1404,
		'世田谷区,35.646,139.653;練馬区,35.736,139.652;大田区,35.561,139.716;江戸川区,35.707,139.868;足立区,35.775,139.804;杉並区,35.700,139.637;板橋区,35.751,139.709;八王子市,35.666,139.316;江東区,35.673,139.817;葛飾区,35.744,139.847;町田市,35.548,139.439;品川区,35.609,139.730;北区,35.753,139.734;新宿区,35.694,139.704;中野区,35.707,139.664;豊島区,35.726,139.717;目黒区,35.641,139.698;墨田区,35.711,139.802;府中市,35.669,139.478;港区,35.658,139.752;調布市,35.651,139.541;文京区,35.708,139.752;荒川区,35.736,139.783;西東京市,35.726,139.538;台東区,35.713,139.780;小平市,35.729,139.477;渋谷区,35.664,139.698;三鷹市,35.683,139.560;日野市,35.671,139.395;立川市,35.714,139.408;東村山市,35.755,139.468;武蔵野市,35.718,139.566;中央区,35.671,139.772;多摩市,35.637,139.446;青梅市,35.788,139.276;国分寺市,35.711,139.462;小金井市,35.700,139.503;狛江市,35.635,139.579;福生市,35.739,139.327;千代田区,35.694,139.754'
	],
	[
		'神奈川県',
		923,
		'横浜市港北区,35.520,139.634;横浜市青葉区,35.553,139.537;横浜市戸塚区,35.396,139.533;川崎市中原区,35.576,139.660;横浜市鶴見区,35.508,139.682;相模原市中央区,35.571,139.373;横須賀市,35.281,139.672;藤沢市,35.339,139.490;横浜市中区,35.444,139.638;横浜市神奈川区,35.477,139.630;横浜市旭区,35.474,139.545;横浜市港南区,35.401,139.591;横浜市都筑区,35.545,139.570;横浜市南区,35.431,139.609;横浜市磯子区,35.403,139.618;横浜市西区,35.454,139.617;川崎市川崎区,35.531,139.703;川崎市幸区,35.544,139.694;川崎市高津区,35.599,139.611;川崎市宮前区,35.588,139.583;川崎市多摩区,35.620,139.563;川崎市麻生区,35.604,139.506;相模原市南区,35.531,139.428;相模原市緑区,35.594,139.340;平塚市,35.335,139.349;茅ヶ崎市,35.334,139.404;大和市,35.487,139.458;厚木市,35.443,139.362;小田原市,35.265,139.152;鎌倉市,35.319,139.547;秦野市,35.375,139.220;海老名市,35.447,139.391;座間市,35.489,139.408;伊勢原市,35.403,139.315'
	],
	['新潟県', 212, '新潟市中央区,37.916,139.036;長岡市,37.446,138.851;上越市,37.148,138.236;新潟市東区,37.925,139.098;新潟市西区,37.866,138.978;新潟市北区,37.929,139.217;三条市,37.637,138.962;柏崎市,37.372,138.559;新発田市,37.948,139.327;燕市,37.673,138.882;佐渡市,38.018,138.368'],
	['富山県', 101, '富山市,36.696,137.214;高岡市,36.754,137.026;射水市,36.728,137.091;魚津市,36.827,137.409;砺波市,36.648,136.962;氷見市,36.857,136.973'],
	['石川県', 111, '金沢市,36.561,136.656;白山市,36.514,136.566;小松市,36.408,136.445;加賀市,36.302,136.315;野々市市,36.520,136.610;七尾市,37.043,136.967;能美市,36.447,136.554;輪島市,37.391,136.899'],
	['福井県', 75, '福井市,36.064,136.220;坂井市,36.167,136.232;越前市,35.903,136.169;鯖江市,35.957,136.184;敦賀市,35.645,136.056;小浜市,35.496,135.747;高浜町,35.490,135.551'],
	['山梨県', 80, '甲府市,35.662,138.568;甲斐市,35.661,138.516;南アルプス市,35.608,138.465;笛吹市,35.648,138.640;富士吉田市,35.488,138.808;都留市,35.552,138.905;北杜市,35.777,138.424'],
	['長野県', 201, '長野市,36.649,138.181;松本市,36.238,137.972;上田市,36.402,138.249;飯田市,35.515,137.822;佐久市,36.249,138.477;安曇野市,36.304,137.906;伊那市,35.827,137.954;塩尻市,36.115,137.953;諏訪市,36.039,138.114;千曲市,36.534,138.120'],
	['岐阜県', 194, '岐阜市,35.423,136.761;大垣市,35.359,136.612;各務原市,35.399,136.848;多治見市,35.333,137.132;可児市,35.426,137.061;関市,35.496,136.918;高山市,36.146,137.252;中津川市,35.488,137.500;羽島市,35.320,136.703'],
	[
		'静岡県',
		353,
		'浜松市中央区,34.711,137.726;静岡市葵区,34.976,138.383;静岡市駿河区,34.962,138.406;静岡市清水区,35.016,138.490;富士市,35.161,138.676;沼津市,35.096,138.864;磐田市,34.718,137.851;浜松市浜名区,34.800,137.790;藤枝市,34.867,138.258;富士宮市,35.222,138.622;焼津市,34.867,138.324;掛川市,34.769,138.015;三島市,35.118,138.919;島田市,34.836,138.176;浜松市天竜区,34.873,137.817;伊東市,34.966,139.102;熱海市,35.096,139.072'
	],
	[
		'愛知県',
		747,
		'名古屋市中区,35.169,136.900;豊田市,35.083,137.156;岡崎市,34.955,137.174;一宮市,35.304,136.803;豊橋市,34.769,137.392;春日井市,35.247,136.972;名古屋市中村区,35.168,136.873;名古屋市千種区,35.166,136.947;名古屋市緑区,35.071,136.952;名古屋市中川区,35.143,136.855;名古屋市守山区,35.203,136.977;名古屋市港区,35.108,136.885;名古屋市名東区,35.176,137.011;名古屋市北区,35.194,136.911;名古屋市天白区,35.122,136.975;名古屋市西区,35.190,136.890;名古屋市南区,35.095,136.931;名古屋市昭和区,35.150,136.934;名古屋市瑞穂区,35.132,136.935;名古屋市東区,35.180,136.926;名古屋市熱田区,35.128,136.910;安城市,34.959,137.080;豊川市,34.827,137.376;西尾市,34.862,137.062;刈谷市,34.989,137.002;小牧市,35.291,136.912;瀬戸市,35.223,137.084;半田市,34.892,136.938;稲沢市,35.248,136.780;東海市,35.023,136.902'
	],
	['三重県', 174, '四日市市,34.965,136.624;津市,34.719,136.505;鈴鹿市,34.882,136.584;松阪市,34.578,136.527;桑名市,35.062,136.684;伊勢市,34.487,136.709;伊賀市,34.769,136.130;名張市,34.628,136.108;亀山市,34.856,136.452'],
	['滋賀県', 140, '大津市,35.018,135.855;草津市,35.013,135.960;長浜市,35.381,136.269;東近江市,35.113,136.208;彦根市,35.274,136.260;甲賀市,34.966,136.166;守山市,35.058,135.994;近江八幡市,35.128,136.098'],
	[
		'京都府',
		253,
		'京都市伏見区,34.936,135.761;京都市右京区,35.016,135.710;京都市左京区,35.048,135.780;京都市中京区,35.011,135.752;京都市下京区,34.988,135.759;京都市北区,35.042,135.753;京都市山科区,34.976,135.816;京都市西京区,34.984,135.686;京都市上京区,35.029,135.756;宇治市,34.884,135.800;亀岡市,35.013,135.574;舞鶴市,35.475,135.386;福知山市,35.297,135.127;長岡京市,34.927,135.696;城陽市,34.853,135.780;京田辺市,34.814,135.767'
	],
	[
		'大阪府',
		876,
		'大阪市北区,34.705,135.510;大阪市中央区,34.681,135.510;堺市堺区,34.574,135.483;東大阪市,34.679,135.601;豊中市,34.781,135.470;枚方市,34.815,135.651;吹田市,34.762,135.516;高槻市,34.848,135.617;茨木市,34.816,135.569;大阪市平野区,34.621,135.560;大阪市淀川区,34.722,135.485;大阪市東淀川区,34.741,135.529;大阪市西成区,34.634,135.496;大阪市生野区,34.654,135.535;大阪市城東区,34.702,135.546;大阪市住吉区,34.604,135.501;大阪市阿倍野区,34.639,135.519;大阪市都島区,34.713,135.528;大阪市天王寺区,34.654,135.519;大阪市浪速区,34.659,135.499;大阪市西区,34.676,135.486;堺市北区,34.572,135.514;堺市中区,34.540,135.505;堺市南区,34.492,135.497;八尾市,34.627,135.601;寝屋川市,34.766,135.628;岸和田市,34.461,135.371;和泉市,34.483,135.424;守口市,34.738,135.564;箕面市,34.827,135.470;門真市,34.739,135.588;池田市,34.822,135.429;富田林市,34.500,135.597'
	],
	[
		'兵庫県',
		535,
		'姫路市,34.816,134.685;神戸市中央区,34.690,135.196;西宮市,34.738,135.342;尼崎市,34.733,135.406;明石市,34.643,134.997;神戸市東灘区,34.720,135.265;神戸市西区,34.705,134.996;神戸市北区,34.738,135.157;神戸市垂水区,34.629,135.051;神戸市須磨区,34.654,135.113;神戸市灘区,34.713,135.221;神戸市兵庫区,34.677,135.166;神戸市長田区,34.662,135.145;加古川市,34.757,134.841;宝塚市,34.800,135.360;伊丹市,34.784,135.401;川西市,34.830,135.417;三田市,34.890,135.225;芦屋市,34.727,135.304;豊岡市,35.545,134.820;洲本市,34.342,134.895;淡路市,34.440,134.916'
	],
	['奈良県', 130, '奈良市,34.685,135.805;橿原市,34.509,135.793;生駒市,34.692,135.700;大和郡山市,34.650,135.783;香芝市,34.541,135.699;天理市,34.597,135.837;大和高田市,34.515,135.736;桜井市,34.519,135.843;五條市,34.352,135.694'],
	['和歌山県', 90, '和歌山市,34.227,135.171;田辺市,33.728,135.378;橋本市,34.315,135.605;紀の川市,34.269,135.363;岩出市,34.256,135.311;海南市,34.155,135.209;新宮市,33.724,135.993;白浜町,33.678,135.348'],
	['鳥取県', 54, '鳥取市,35.501,134.235;米子市,35.428,133.331;倉吉市,35.430,133.826;境港市,35.540,133.232;琴浦町,35.502,133.689'],
	['島根県', 65, '松江市,35.468,133.049;出雲市,35.367,132.755;浜田市,34.899,132.080;益田市,34.675,131.843;安来市,35.431,133.251;大田市,35.192,132.500'],
	['岡山県', 185, '岡山市北区,34.655,133.919;倉敷市,34.585,133.772;岡山市中区,34.661,133.950;岡山市南区,34.603,133.911;津山市,35.069,134.004;総社市,34.673,133.747;玉野市,34.492,133.946;笠岡市,34.507,133.508;赤磐市,34.755,134.019'],
	[
		'広島県',
		272,
		'広島市中区,34.385,132.455;福山市,34.486,133.362;広島市安佐南区,34.452,132.469;呉市,34.249,132.566;東広島市,34.427,132.743;広島市西区,34.393,132.440;広島市南区,34.380,132.470;広島市東区,34.393,132.476;広島市安佐北区,34.502,132.501;広島市佐伯区,34.369,132.360;広島市安芸区,34.372,132.541;尾道市,34.409,133.205;廿日市市,34.349,132.332;三原市,34.398,133.078;三次市,34.805,132.851;府中市,34.568,133.237'
	],
	['山口県', 131, '下関市,33.958,130.941;山口市,34.178,131.474;宇部市,33.952,131.247;周南市,34.055,131.806;岩国市,34.166,132.219;防府市,34.052,131.563;下松市,34.015,131.870;萩市,34.408,131.399'],
	['徳島県', 70, '徳島市,34.070,134.555;阿南市,33.922,134.660;鳴門市,34.172,134.609;吉野川市,34.066,134.359;小松島市,34.005,134.590;美馬市,34.053,134.170'],
	['香川県', 93, '高松市,34.340,134.047;丸亀市,34.290,133.798;三豊市,34.183,133.715;観音寺市,34.127,133.661;坂出市,34.317,133.860;さぬき市,34.325,134.172'],
	['愛媛県', 130, '松山市,33.840,132.766;今治市,34.066,132.998;新居浜市,33.960,133.283;西条市,33.919,133.181;四国中央市,33.981,133.549;宇和島市,33.223,132.561;大洲市,33.506,132.545;伊予市,33.758,132.704'],
	['高知県', 67, '高知市,33.559,133.531;南国市,33.576,133.641;四万十市,32.991,132.934;香南市,33.564,133.700;土佐市,33.496,133.425;香美市,33.604,133.684'],
	[
		'福岡県',
		510,
		'福岡市東区,33.618,130.417;福岡市博多区,33.591,130.415;福岡市中央区,33.589,130.393;福岡市南区,33.561,130.426;福岡市西区,33.583,130.323;福岡市早良区,33.582,130.348;福岡市城南区,33.576,130.370;久留米市,33.319,130.508;北九州市小倉北区,33.884,130.875;北九州市小倉南区,33.843,130.881;北九州市八幡西区,33.862,130.741;北九州市八幡東区,33.863,130.811;北九州市門司区,33.944,130.961;北九州市戸畑区,33.896,130.826;北九州市若松区,33.907,130.810;飯塚市,33.646,130.691;大牟田市,33.030,130.446;春日市,33.533,130.470;筑紫野市,33.488,130.516;糸島市,33.557,130.196;大野城市,33.537,130.479;宗像市,33.806,130.541;太宰府市,33.513,130.524;田川市,33.639,130.806;行橋市,33.729,130.983;直方市,33.744,130.730'
	],
	['佐賀県', 80, '佐賀市,33.249,130.300;唐津市,33.450,129.968;鳥栖市,33.378,130.506;伊万里市,33.265,129.880;武雄市,33.194,130.020;小城市,33.288,130.201'],
	['長崎県', 128, '長崎市,32.750,129.877;佐世保市,33.180,129.715;諫早市,32.844,130.053;大村市,32.900,129.958;島原市,32.788,130.370;五島市,32.696,128.841;平戸市,33.368,129.554'],
	[
		'熊本県',
		172,
		'熊本市中央区,32.803,130.708;熊本市東区,32.790,130.763;熊本市北区,32.850,130.712;熊本市南区,32.748,130.694;熊本市西区,32.799,130.686;八代市,32.508,130.602;天草市,32.459,130.193;玉名市,32.935,130.563;合志市,32.886,130.790;宇城市,32.647,130.684;菊池市,32.980,130.813;人吉市,32.210,130.762'
	],
	['大分県', 111, '大分市,33.238,131.613;別府市,33.285,131.491;中津市,33.598,131.188;佐伯市,32.960,131.900;日田市,33.321,130.941;宇佐市,33.532,131.350;臼杵市,33.126,131.805'],
	['宮崎県', 105, '宮崎市,31.908,131.420;都城市,31.720,131.062;延岡市,32.582,131.665;日向市,32.423,131.624;日南市,31.602,131.379;小林市,31.997,130.973'],
	['鹿児島県', 156, '鹿児島市,31.597,130.557;霧島市,31.741,130.763;鹿屋市,31.378,130.852;薩摩川内市,31.814,130.304;姶良市,31.728,130.628;出水市,32.090,130.353;奄美市,28.378,129.494;指宿市,31.253,130.633'],
	['沖縄県', 147, '那覇市,26.212,127.679;沖縄市,26.334,127.806;うるま市,26.379,127.857;浦添市,26.246,127.722;宜野湾市,26.282,127.778;豊見城市,26.161,127.669;名護市,26.592,127.977;糸満市,26.124,127.665;宮古島市,24.806,125.281;石垣市,24.341,124.156']
];

interface City {
	prefecture: string;
	name: string;
	short: string; // 札幌市中央区 → 中央, 船橋市 → 船橋
	lat: number;
	lng: number;
}

interface Prefecture {
	name: string;
	weight: number;
	cities: City[];
	cityWeights: Array<readonly [City, number]>;
}

function shortName(city: string): string {
	const ward = /^.+?市(.+)区$/.exec(city);
	if (ward) return ward[1];
	return city.length > 2 ? city.replace(/(市|区|町|村)$/, '') : city;
}

const PREFECTURES: Prefecture[] = PLACE_DATA.map(([name, weight, list]) => {
	const cities = list.split(';').map((entry) => {
		const [cityName, lat, lng] = entry.split(',');
		return { prefecture: name, name: cityName, short: shortName(cityName), lat: Number(lat), lng: Number(lng) };
	});
	// Zipf-like: the first (largest) places are drawn most.
	return { name, weight, cities, cityWeights: cities.map((c, i) => [c, 1 / Math.pow(i + 1, 0.8)] as const) };
});
const PREFECTURE_WEIGHTS = PREFECTURES.map((p) => [p, p.weight] as const);
const PLACE_NAMES = new Set(PREFECTURES.flatMap((p) => [p.name, p.name.replace(/(都|道|府|県)$/, ''), ...p.cities.flatMap((c) => [c.name, c.short])]));

// ───────────────────────────────────────────────────────────── vocabulary

type FormCode = (typeof taxonomy.forms)[number]['code'];

/** Soft names that community projects take (the demo has ふらっと, みちくさハウス, あおむしルーム …). */
const NICKNAMES = [
	'ひだまり',
	'こもれび',
	'たんぽぽ',
	'ひまわり',
	'さくら',
	'わかば',
	'あおぞら',
	'にじいろ',
	'つばさ',
	'ほっと',
	'ぽかぽか',
	'にこにこ',
	'わいわい',
	'ゆるり',
	'みちくさ',
	'よりみち',
	'まんまる',
	'おひさま',
	'すまいる',
	'つながり',
	'むすび',
	'えがお',
	'ぬくもり',
	'なかよし',
	'いっぽ',
	'あゆみ',
	'のびのび',
	'すくすく',
	'ふらっと',
	'ほっこり',
	'てくてく',
	'ことり',
	'もみじ',
	'どんぐり',
	'くすのき',
	'あじさい',
	'すずらん',
	'なのはな',
	'ひばり',
	'かもめ',
	'みなと',
	'そよかぜ',
	'こだま',
	'あかり',
	'ともしび',
	'はぐくみ',
	'よつば',
	'いろは',
	'まどい',
	'ふれあい',
	'ほほえみ',
	'あったか',
	'ここから',
	'みらい',
	'きずな',
	'ゆいまーる',
	'おむすび',
	'かけはし',
	'つどい',
	'まあるい',
	'ぷらっと'
];
const TEMPLES: Array<[string, string]> = [
	['光明寺', 'こうみょうじ'],
	['西方寺', 'さいほうじ'],
	['正覚寺', 'しょうかくじ'],
	['常福寺', 'じょうふくじ'],
	['長福寺', 'ちょうふくじ'],
	['龍雲寺', 'りゅううんじ'],
	['宝泉寺', 'ほうせんじ'],
	['善福寺', 'ぜんぷくじ'],
	['法蔵寺', 'ほうぞうじ'],
	['蓮光寺', 'れんこうじ']
];
const SURNAMES = [
	'佐藤',
	'鈴木',
	'高橋',
	'田中',
	'伊藤',
	'渡辺',
	'山本',
	'中村',
	'小林',
	'加藤',
	'吉田',
	'山田',
	'佐々木',
	'山口',
	'松本',
	'井上',
	'木村',
	'林',
	'斎藤',
	'清水',
	'山崎',
	'森',
	'池田',
	'橋本',
	'阿部',
	'石川',
	'山下',
	'中島',
	'石井',
	'小川',
	'前田',
	'岡田',
	'長谷川',
	'藤田',
	'後藤',
	'近藤',
	'村上',
	'遠藤',
	'青木',
	'坂本'
];
const GIVEN_NAMES = ['裕美', '恵子', '和子', '洋子', '健一', '誠', '大輔', '直樹', '美穂', '真理子', '隆', '浩二', '陽子', '智子', '翔太', '彩', '由美', '修', '明美', '聡', '拓也', '里美', '典子', '康弘'];
const VENUE_KINDS = ['公民館', '地域センター', '集会所', 'コミュニティセンター', '市民活動センター', '福祉センター', '図書館', '児童館', '地区会館', '団地集会所', '商店街の空き店舗', '教会', '駅前ひろば', '交流センター'];

/** Words for a program's title, per form: form labels and the nouns demo titles use. */
const TITLE_NOUNS: Record<FormCode, string[]> = {
	ibasho: ['居場所', 'フリースペース', 'たまり場', 'コミュニティカフェ', 'ひろば', 'サロン', 'ハウス', 'カフェ'],
	gathering: ['交流会', 'おしゃべり会', 'お茶会', 'つどい', 'サロン', 'まつり', 'ふれあい喫茶'],
	consult_in_person: ['なんでも相談', '相談会', '暮らしの保健室', 'まちの保健室', '福祉まるごと相談', '相談窓口'],
	consult_phone: ['電話相談', '子育てなんでも相談', 'こころの電話', 'ホットライン'],
	consult_sns: ['LINE相談', 'SNS相談', 'チャット相談'],
	consult_online: ['オンライン相談', 'チャット相談', 'ビデオ相談'],
	kodomo_shokudo: ['こども食堂', '子ども食堂', 'みんな食堂', '地域食堂'],
	community_meal: ['地域食堂', 'みんなの食堂', '大人食堂', 'ふれあい食事会', '会食会'],
	food_pantry: ['フードパントリー', '食品配布会', 'おすそ分け会', 'パントリーピックアップ'],
	food_bank: ['フードバンク', 'フードドライブ', '食品の配送支援'],
	work_experience: ['就労体験', '小さな仕事センター', 'しごと体験', 'はたらく練習'],
	learning: ['講座', '教室', '体験学習', 'ワークショップ', '連続講座'],
	study_support: ['学習支援', '宿題カフェ', '学びの教室', '寺子屋'],
	outreach: ['訪問活動', '見守り訪問', 'アウトリーチ', '見守り配食'],
	mobile: ['移動カフェ', '移動図書館', '移動販売と見守り', 'キッチンカー'],
	information: ['情報サイト', '情報誌', 'ポータルサイト', 'メールマガジン'],
	training: ['支援者研修', 'サポーター養成講座', '研修会', 'ゲートキーパー養成講座'],
	network: ['ネットワーク会議', 'プラットフォーム', '連絡会', '座談会'],
	multigenerational: ['多世代交流', '世代間交流', '多世代食堂', 'ふれあいの場'],
	volunteering: ['ボランティア', 'ボランティア説明会', '清掃活動', '花壇整備'],
	peer_support: ['ピアサポート', '当事者会', '親の会', 'セルフヘルプグループ', '分かち合いの会'],
	parenting_support: ['子育てひろば', '親子の居場所', '子育てサロン', '子育て応援講座'],
	exercise: ['健康体操', 'ラジオ体操', 'ウォーキング', '健康教室', 'ふまねっと運動'],
	arts_culture: ['音楽会', '絵画教室', '文化祭', 'ものづくりワークショップ', '読書会']
};

/** What happens there, per form (one or two of these go into the description). */
const FORM_SENTENCES: Record<FormCode, string[]> = {
	ibasho: ['誰でも気軽に立ち寄れる居場所です。', '予約なしで来て、お茶を飲んだりおしゃべりしたり、思い思いに過ごせます。', 'スタッフが常にいて、必要なときは相談にも応じます。'],
	gathering: ['地域の人が集まってお茶を飲みながら交流します。', '初めての方も気軽に参加できる雰囲気づくりを大切にしています。', '季節の行事やゲームを通じて、顔見知りを増やせます。'],
	consult_in_person: ['暮らしや家族、仕事の困りごとを相談員が一緒に考えます。', '必要に応じて行政や専門機関におつなぎします。', '予約がなくても、空いていればその場で相談できます。'],
	consult_phone: ['電話で匿名のまま相談できます。', '話を聞いてほしいだけでも大丈夫です。', '経験を積んだ相談員が受けています。'],
	consult_sns: ['LINEやSNSで、文字で気軽に相談できます。', '声に出しにくい悩みも、チャットなら話しやすいという声があります。'],
	consult_online: ['オンラインで自宅から相談できます。', 'ビデオ通話のほか、チャットでの相談も受け付けています。'],
	kodomo_shokudo: ['子どもがひとりでも来られる食堂で、温かいごはんをみんなで食べます。', '食事のあとは宿題をしたり遊んだりして過ごせます。', '保護者や地域の大人も一緒に食事ができます。'],
	community_meal: ['地域の人が集まって一緒に食事をする会食の場です。', '一人暮らしの高齢者や子育て世帯など、世代を問わず参加できます。'],
	food_pantry: ['生活に困りごとのある家庭に、寄付で集まった食品を無料で配布しています。', '食品の受け取りにあわせて、困りごとの相談もできます。'],
	food_bank: ['企業や家庭から寄付された食品を集め、必要とする団体や家庭に届けています。', '食品ロスの削減と生活支援の両方に取り組んでいます。'],
	work_experience: ['短い時間から無理なく働く体験ができます。', '地域のお店や農園で、小さな仕事を通じて役割と自信を取り戻すことを目指しています。'],
	learning: ['暮らしに役立つテーマの講座を開いています。', '参加者同士の交流の時間もあります。', '毎回テーマが変わるので、興味のある回だけの参加もできます。'],
	study_support: ['小中学生の学習を大学生ボランティアがサポートします。', '勉強だけでなく、安心して過ごせる居場所としての役割も大切にしています。'],
	outreach: ['支援員がご自宅を訪問し、暮らしの様子をうかがいます。', '外出が難しい方や孤立しがちな方とのつながりを保ちます。'],
	mobile: ['車で地域を回り、カフェや食品配布の場を届けています。', '公共施設の少ない地域でも気軽に立ち寄れます。'],
	information: ['地域の支援情報をまとめて発信しています。', '必要な人に必要な情報が届くよう、ホームページやSNSで案内しています。'],
	training: ['支援に関わる人や団体向けの研修を開いています。', '孤独・孤立の基礎知識や、声のかけ方を学べます。'],
	network: ['行政や地域の団体が集まり、情報交換や連携のための会議を開いています。', '孤独・孤立対策の官民連携プラットフォームとして活動しています。'],
	multigenerational: ['子どもから高齢者まで、世代を超えて交流できる場です。', '季節の行事や食事会を通じて顔の見える関係をつくります。'],
	volunteering: ['地域のボランティア活動に誰でも参加できます。', '活動を通じて新しい仲間や役割に出会えます。'],
	peer_support: ['同じ経験をした人同士が、気持ちを分かち合う場です。', '話したくないときは聞いているだけでも大丈夫です。'],
	parenting_support: ['乳幼児の親子が気軽に集える子育てひろばです。', '保育士や助産師に子育ての悩みを相談できます。'],
	exercise: ['無理のない体操やウォーキングで、健康づくりと仲間づくりをしています。', '終わったあとのお茶の時間も楽しみのひとつです。'],
	arts_culture: ['音楽や絵、ものづくりを楽しむ活動です。', '表現を通じて人とつながるきっかけをつくっています。']
};

/** Short phrases for summaries: "…が{verb}{noun}です。" */
const FORM_VERBS: Record<FormCode, string> = {
	ibasho: '気軽に立ち寄れる',
	gathering: 'ゆるやかにつながれる',
	consult_in_person: '困りごとを相談できる',
	consult_phone: '電話で話せる',
	consult_sns: '文字で相談できる',
	consult_online: '自宅から相談できる',
	kodomo_shokudo: '温かいごはんを一緒に食べられる',
	community_meal: 'みんなで食事ができる',
	food_pantry: '食品を受け取れる',
	food_bank: '食品の支援を受けられる',
	work_experience: '無理なく働く体験ができる',
	learning: '学び合える',
	study_support: '安心して勉強できる',
	outreach: '自宅で話を聞いてもらえる',
	mobile: '近所で立ち寄れる',
	information: '必要な情報を見つけられる',
	training: '支え方を学べる',
	network: '連携を深められる',
	multigenerational: '世代を超えて交流できる',
	volunteering: '役割を見つけられる',
	peer_support: '気持ちを分かち合える',
	parenting_support: '親子で過ごせる',
	exercise: '体を動かしながらつながれる',
	arts_culture: '表現を楽しめる'
};

const FORM_WEIGHTS: Array<readonly [FormCode, number]> = [
	['ibasho', 14],
	['gathering', 10],
	['consult_in_person', 9],
	['consult_phone', 3],
	['kodomo_shokudo', 8],
	['community_meal', 4],
	['food_pantry', 4],
	['food_bank', 2],
	['work_experience', 3],
	['learning', 7],
	['study_support', 4],
	['outreach', 3],
	['mobile', 1],
	['information', 1],
	['training', 3],
	['network', 3],
	['multigenerational', 4],
	['volunteering', 3],
	['peer_support', 4],
	['parenting_support', 6],
	['exercise', 4],
	['arts_culture', 3]
];
const ONLINE_FORMS: Array<readonly [FormCode, number]> = [
	['consult_sns', 4],
	['consult_online', 4],
	['consult_phone', 3],
	['information', 2],
	['peer_support', 1],
	['training', 1]
];

const RELATED_FORMS: Partial<Record<FormCode, FormCode[]>> = {
	ibasho: ['gathering', 'consult_in_person', 'multigenerational', 'peer_support', 'learning'],
	kodomo_shokudo: ['multigenerational', 'study_support', 'food_pantry', 'ibasho'],
	community_meal: ['multigenerational', 'kodomo_shokudo', 'gathering'],
	food_pantry: ['consult_in_person', 'food_bank'],
	consult_in_person: ['ibasho', 'outreach', 'consult_phone'],
	parenting_support: ['ibasho', 'consult_in_person', 'gathering', 'learning'],
	study_support: ['ibasho', 'kodomo_shokudo', 'learning'],
	exercise: ['gathering', 'multigenerational'],
	work_experience: ['learning', 'volunteering', 'consult_in_person'],
	training: ['network', 'learning'],
	network: ['training', 'information']
};

type TargetCode = (typeof taxonomy.targets)[number]['code'];
const TARGETS_BY_FORM: Partial<Record<FormCode, TargetCode[]>> = {
	ibasho: ['young_people', 'children', 'residents', 'elderly', 'living_alone', 'school_refusal', 'hikikomori', 'women', 'lgbtq'],
	gathering: ['residents', 'elderly', 'living_alone', 'retired_men', 'parents', 'young_people'],
	consult_in_person: ['economic_hardship', 'women', 'young_people', 'hikikomori', 'living_alone', 'foreign_roots', 'carers', 'parents', 'elderly', 'disabilities'],
	consult_phone: ['economic_hardship', 'women', 'living_alone', 'parents', 'bereaved', 'lgbtq'],
	consult_sns: ['young_people', 'women', 'lgbtq', 'students', 'working_youth', 'adversity'],
	consult_online: ['young_people', 'carers', 'hikikomori', 'working_youth'],
	kodomo_shokudo: ['children', 'parents', 'single_parents', 'residents', 'economic_hardship'],
	community_meal: ['residents', 'elderly', 'living_alone', 'children'],
	food_pantry: ['economic_hardship', 'single_parents', 'parents', 'students'],
	food_bank: ['economic_hardship', 'single_parents', 'supporters'],
	work_experience: ['young_people', 'hikikomori', 'disabilities', 'elderly', 'retired_men', 'reentry'],
	learning: ['residents', 'children', 'elderly', 'retired_men', 'young_people', 'foreign_roots'],
	study_support: ['children', 'school_refusal', 'single_parents', 'economic_hardship', 'foreign_roots'],
	outreach: ['elderly', 'living_alone', 'hikikomori', 'carers'],
	mobile: ['residents', 'elderly', 'children'],
	information: ['residents', 'supporters', 'adversity'],
	training: ['supporters'],
	network: ['supporters'],
	multigenerational: ['residents', 'children', 'elderly'],
	volunteering: ['residents', 'students', 'young_people', 'retired_men'],
	peer_support: ['school_refusal', 'carers', 'bereaved', 'lgbtq', 'adversity', 'disabilities', 'hikikomori', 'single_parents'],
	parenting_support: ['parents_young_children', 'parents', 'pregnant', 'single_parents'],
	exercise: ['elderly', 'retired_men', 'residents'],
	arts_culture: ['residents', 'children', 'disabilities', 'elderly']
};
type LifeStageCode = (typeof taxonomy.lifeStages)[number]['code'];
const STAGES_BY_TARGET: Partial<Record<TargetCode, LifeStageCode[]>> = {
	pregnant: ['prenatal_infant'],
	parents_young_children: ['prenatal_infant', 'preschool'],
	parents: ['preschool', 'elementary'],
	single_parents: ['elementary', 'junior_high', 'middle_age'],
	children: ['elementary', 'junior_high'],
	school_refusal: ['elementary', 'junior_high', 'high_school'],
	young_people: ['high_school', 'university', 'youth'],
	working_youth: ['youth'],
	students: ['high_school', 'university'],
	hikikomori: ['youth', 'middle_age'],
	elderly: ['senior'],
	retired_men: ['senior'],
	living_alone: ['middle_age', 'senior'],
	carers: ['high_school', 'youth', 'middle_age'],
	women: ['youth', 'middle_age'],
	economic_hardship: ['middle_age']
};
/** How residents say who a program is for, in titles ("若者の居場所"). */
const TARGET_WORDS: Partial<Record<TargetCode, string[]>> = {
	children: ['子ども', 'こども', '小学生'],
	young_people: ['若者', 'ユース'],
	elderly: ['高齢者', 'シニア'],
	parents: ['子育て中の親', 'ママ'],
	parents_young_children: ['親子', '乳幼児親子'],
	single_parents: ['ひとり親家庭'],
	school_refusal: ['不登校の子ども', '不登校の親'],
	hikikomori: ['ひきこもり'],
	retired_men: ['男性シニア', 'おやじ'],
	living_alone: ['一人暮らし'],
	foreign_roots: ['外国ルーツの子ども', '多文化'],
	carers: ['ヤングケアラー', 'ケアラー'],
	women: ['女性'],
	lgbtq: ['LGBTQ'],
	students: ['学生'],
	working_youth: ['働く若者'],
	bereaved: ['遺族']
};
const TITLE_MODIFIERS = ['初めての方歓迎', '平日夜', '土曜開催', '出入り自由', 'オンライン併用', '予約不要', '月1回', '毎週'];

const NULL_RULE_NOTES = ['月1回程度（曜日の記載なし）', '年4回程度', '不定期開催', '毎月開催（日程はホームページで案内）', '週2回程度', '長期休暇中に開催', '随時受付', '2か月に1回', '年1回（夏）', '定期的に開催（頻度の記載なし）'];
const FIRST_TIME_NOTES = [
	'はじめての方は、まずは見学だけでも大丈夫です。',
	'予約は不要です。直接会場にお越しください。',
	'お一人での参加も歓迎です。スタッフが声をかけます。',
	'動きやすい服装でお越しください。',
	'匿名で相談できます。名前を言わなくても大丈夫です。',
	'途中からの参加、途中での退出もできます。'
];
const JOIN_NOTES: Record<ProgramInput['joinMethod'], string[]> = {
	no_registration: ['申込み不要・出入り自由', '予約なしで直接お越しください'],
	reservation: ['電話またはメールで事前予約', 'ホームページの申込みフォームから予約', 'LINEで申込み', '各回先着順・要申込み'],
	membership: ['会員登録のうえ参加', '年会費を納めて会員になる', 'まず見学会へ。会員登録後に参加'],
	referral_only: ['地域包括支援センターや学校からの紹介で利用', '行政の窓口からの紹介'],
	unknown: []
};
const PARTNER_ROLES = ['会場提供', '共催', '後援', '食材提供', '学生ボランティア', '相談協力', '連携', '助成'];
const ACCESSIBILITY = ['車いすで利用できます', 'エレベーターあり', '入口に段差があります', '多目的トイレあり', 'ベビーカーで入れます'];

const RULES_WEEKLY = [
	['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 6],
	['FREQ=WEEKLY;BYDAY=MO,WE,FR', 4],
	['FREQ=WEEKLY;BYDAY=TU,TH', 4],
	['FREQ=WEEKLY;BYDAY=MO', 2],
	['FREQ=WEEKLY;BYDAY=TU', 2],
	['FREQ=WEEKLY;BYDAY=WE', 3],
	['FREQ=WEEKLY;BYDAY=TH', 2],
	['FREQ=WEEKLY;BYDAY=FR', 3],
	['FREQ=WEEKLY;BYDAY=SA', 4],
	['FREQ=WEEKLY;BYDAY=SU', 1],
	['FREQ=WEEKLY;BYDAY=SA,SU', 1],
	['FREQ=WEEKLY;INTERVAL=2;BYDAY=SA', 2],
	['FREQ=WEEKLY;INTERVAL=2;BYDAY=WE', 1],
	['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA', 1]
] as const;
const RULES_MONTHLY = [
	['FREQ=MONTHLY;BYDAY=1SA,3SA', 5],
	['FREQ=MONTHLY;BYDAY=2SA', 4],
	['FREQ=MONTHLY;BYDAY=4SA', 3],
	['FREQ=MONTHLY;BYDAY=1SA', 3],
	['FREQ=MONTHLY;BYDAY=2SA,4SA', 2],
	['FREQ=MONTHLY;BYDAY=1SU', 2],
	['FREQ=MONTHLY;BYDAY=3SU', 2],
	['FREQ=MONTHLY;BYDAY=-1SU', 1],
	['FREQ=MONTHLY;BYDAY=2WE', 3],
	['FREQ=MONTHLY;BYDAY=1WE,3WE', 2],
	['FREQ=MONTHLY;BYDAY=-1FR', 3],
	['FREQ=MONTHLY;BYDAY=3TH', 2],
	['FREQ=MONTHLY;BYDAY=2TU,4TU', 2],
	['FREQ=MONTHLY;BYDAY=1MO,3MO', 1],
	['FREQ=MONTHLY;BYDAY=4FR', 1],
	['FREQ=MONTHLY;BYMONTHDAY=15', 1],
	['FREQ=MONTHLY;BYMONTHDAY=1,15', 1],
	['FREQ=MONTHLY;BYDAY=3SA', 3]
] as const;
/** Forms that tend to run on weekdays, every week. */
const WEEKLY_FORMS = new Set<FormCode>(['consult_in_person', 'consult_phone', 'consult_sns', 'consult_online', 'ibasho', 'study_support', 'work_experience', 'outreach', 'food_bank', 'exercise']);
const SLOTS: Record<string, Array<[string, string]>> = {
	morning: [
		['10:00', '12:00'],
		['09:30', '11:30'],
		['10:00', '11:30'],
		['09:00', '10:00']
	],
	afternoon: [
		['13:00', '15:00'],
		['13:30', '16:00'],
		['14:00', '16:00'],
		['13:30', '15:30']
	],
	evening: [
		['17:00', '19:00'],
		['16:00', '21:00'],
		['18:00', '20:00'],
		['17:30', '20:00']
	],
	day: [
		['10:00', '17:00'],
		['09:00', '17:00'],
		['10:00', '16:00'],
		['11:00', '18:00']
	],
	night: [
		['19:00', '22:00'],
		['20:00', '23:00']
	]
};
const SLOT_BY_FORM: Partial<Record<FormCode, Array<readonly [string, number]>>> = {
	kodomo_shokudo: [
		['evening', 5],
		['morning', 1],
		['afternoon', 2]
	],
	community_meal: [
		['morning', 1],
		['afternoon', 1],
		['evening', 2]
	],
	consult_in_person: [
		['day', 5],
		['afternoon', 1]
	],
	consult_phone: [
		['day', 3],
		['night', 2]
	],
	consult_sns: [
		['evening', 2],
		['night', 3]
	],
	consult_online: [
		['evening', 2],
		['night', 2],
		['day', 1]
	],
	ibasho: [
		['day', 3],
		['afternoon', 2],
		['evening', 2]
	],
	study_support: [
		['evening', 3],
		['afternoon', 2]
	],
	exercise: [['morning', 5]],
	parenting_support: [
		['morning', 5],
		['afternoon', 1]
	]
};
const WEEKDAY_JA: Record<string, string> = { MO: '月', TU: '火', WE: '水', TH: '木', FR: '金', SA: '土', SU: '日' };

/** The timing in words, as the demo's `note` fields put it ("毎月第1・第3土曜日 13:00〜15:00"). */
function ruleNote(rrule: string, opensAt: string | null, closesAt: string | null, closedOnHolidays: boolean): string {
	const parts = Object.fromEntries(rrule.split(';').map((p) => p.split('=')));
	const days: string[] = parts.BYDAY ? parts.BYDAY.split(',') : [];
	let words: string;
	if (parts.FREQ === 'WEEKLY') {
		const list = days.map((d) => WEEKDAY_JA[d]).join('・');
		words = days.length === 5 && !days.includes('SA') ? '平日' : `${parts.INTERVAL === '2' ? '隔週' : '毎週'}${list}曜日`;
	} else if (parts.BYMONTHDAY) {
		words = `毎月${parts.BYMONTHDAY.split(',').join('日・')}日`;
	} else {
		const ordinals = days.map((d) => {
			const m = /^(-?\d)(\w\w)$/.exec(d)!;
			return { n: Number(m[1]), day: m[2] };
		});
		words = `毎月${ordinals.map((o) => (o.n === -1 ? '最終' : `第${o.n}`)).join('・')}${WEEKDAY_JA[ordinals[0].day]}曜日`;
	}
	const time = opensAt ? ` ${opensAt}〜${closesAt ?? ''}` : '';
	return `${words}${time}${closedOnHolidays ? '（祝日休み）' : ''}`;
}

// ───────────────────────────────────────────────────────────── demo vocabulary

interface DemoVocabulary {
	sentences: string[];
	names: string[];
	roles: string[];
}

/** Sentences and names from the demo region, without the place names that would contradict a synthetic place. */
function demoVocabulary(): DemoVocabulary {
	const dataset = readDemoDataset();
	const texts = dataset.flatMap((o) => [o.description, ...o.programs.flatMap((p) => [p.description, p.summary])]);
	const sentences = [
		...new Set(
			texts
				.flatMap((t) => t.split('。'))
				.map((s) => s.trim())
				.filter((s) => s.length >= 15 && s.length <= 90)
				.filter((s) => ![...PLACE_NAMES].some((p) => p.length >= 2 && s.includes(p)))
				.filter((s) => !/[0-9０-９]{4}年/.test(s))
				.map((s) => s + '。')
		)
	].sort();
	const names = [
		...new Set(
			dataset
				.flatMap((o) => o.programs.map((p) => p.title))
				.flatMap((t) => [...t.matchAll(/「([^」]{2,10})」/g)].map((m) => m[1]))
				.filter((n) => ![...PLACE_NAMES].some((p) => p.length >= 2 && n.includes(p)))
		)
	].sort();
	const roles = [...new Set(dataset.flatMap((o) => o.programs.flatMap((p) => p.partners.map((x) => x.role)).filter((r): r is string => !!r && r.length <= 12)))].sort();
	return { sentences, names, roles };
}

// ───────────────────────────────────────────────────────────── plan: how many of what, where

interface Plan {
	programsPerOrg: Int32Array;
	/** Per program (global index): number of places; 255 marks an online-only program. */
	placesPerProgram: Uint8Array;
}

const ONLINE = 255;

/** Split `total` over `weights` exactly (cumulative rounding). */
function apportion(total: number, weights: Float64Array): Int32Array {
	const out = new Int32Array(weights.length);
	let sum = 0;
	for (const w of weights) sum += w;
	let cumulative = 0;
	let given = 0;
	for (let i = 0; i < weights.length; i++) {
		cumulative += weights[i];
		const upTo = sum > 0 ? Math.floor((cumulative / sum) * total + 1e-9) : 0;
		out[i] = upTo - given;
		given = upTo;
	}
	out[weights.length - 1] += total - given;
	return out;
}

function makePlan(rng: Rng, sizes: RegionSizes): Plan {
	const orgCount = Math.min(sizes.organizations, sizes.programs);
	// Every organisation runs at least one program; a few (councils, cities) run dozens.
	const orgWeights = new Float64Array(orgCount).map(() => Math.min(60, Math.pow(rng.next() + 1e-6, -0.75)) - 1);
	const extra = apportion(sizes.programs - orgCount, orgWeights);
	const programsPerOrg = extra.map((n) => n + 1);

	const placesPerProgram = new Uint8Array(sizes.programs);
	const online = new Uint8Array(sizes.programs).map(() => (rng.chance(0.05) ? 1 : 0));
	const inPerson = sizes.programs - online.reduce((n, v) => n + v, 0);
	// Most programs meet in one place; some in two or three; networks in many.
	const weights = new Float64Array(sizes.programs).map((_, i) =>
		online[i]
			? 0
			: rng.weighted([
					[0.15, 70],
					[1, 20],
					[3, 8],
					[8, 2]
				] as const)
	);
	const counts =
		sizes.locations >= inPerson
			? apportion(sizes.locations - inPerson, weights)
			: apportion(
					sizes.locations,
					weights.map((w) => (w > 0 ? 1 : 0))
				);
	for (let i = 0; i < sizes.programs; i++) {
		if (online[i]) placesPerProgram[i] = ONLINE;
		else placesPerProgram[i] = Math.min(254, (sizes.locations >= inPerson ? 1 : 0) + counts[i]);
	}
	return { programsPerOrg, placesPerProgram };
}

// ───────────────────────────────────────────────────────────── making organisations

function katakana(hiragana: string): string {
	return hiragana.replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
}

function pad(n: number, width: number): string {
	return String(n).padStart(width, '0');
}

interface Context {
	rng: Rng;
	vocab: DemoVocabulary;
	today: string;
	/** Schedules start on a few common days (most sources say "from April"), so many are alike. */
	dtstarts: string[];
}

type Venue = LocationInput;

function jitter(rng: Rng, value: number, sd: number): number {
	return Math.round((value + rng.normal() * sd) * 10_000) / 10_000;
}

function makeVenue(ctx: Context, city: City | null, prefecture: Prefecture, nick: string): Venue {
	const { rng } = ctx;
	if (!city) {
		// A service area covering the whole prefecture.
		const capital = prefecture.cities[0];
		const located = rng.chance(0.5);
		return {
			name: `${prefecture.name}全域`,
			prefecture: prefecture.name,
			city: null,
			line: null,
			postalCode: null,
			lat: located ? capital.lat : null,
			lng: located ? capital.lng : null,
			accessibility: null,
			transport: null
		};
	}
	const kind = rng.pick(VENUE_KINDS);
	const name = rng.weighted([
		[`${city.short}${kind}`, 5],
		[`${nick}ハウス`, 2],
		[`${rng.pick(TEMPLES)[0]}`, 1],
		[`${city.short}${rng.pick(['東', '西', '南', '北', '中央', '駅前'])}${kind}`, 2]
	] as const);
	const located = rng.chance(0.97);
	return {
		name,
		prefecture: city.prefecture,
		city: city.name,
		line: rng.chance(0.6) ? `${rng.int(1, 5)}丁目${rng.int(1, 30)}-${rng.int(1, 20)}` : null,
		postalCode: rng.chance(0.5) ? `${pad(rng.int(100, 999), 3)}-${pad(rng.int(0, 9999), 4)}` : null,
		lat: located ? jitter(rng, city.lat, 0.012) : null,
		lng: located ? jitter(rng, city.lng, 0.015) : null,
		accessibility: rng.chance(0.15) ? rng.pick(ACCESSIBILITY) : null,
		transport: rng.chance(0.3) ? rng.pick([`${city.short}駅から徒歩${rng.int(2, 15)}分`, `バス停「${city.short}${rng.pick(['役所前', '中央', '団地'])}」下車すぐ`, '駐車場あり']) : null
	};
}

const LEGAL_FORMS: Array<readonly [string | null, number]> = [
	['npo', 35],
	['certified_npo', 5],
	['general_incorporated_association', 12],
	['voluntary_group', 20],
	['social_welfare_corporation', 6],
	['social_welfare_council', 5],
	['llc', 3],
	['kabushiki_kaisha', 3],
	['cooperative', 2],
	['religious_corporation', 2],
	['municipality', 3],
	['school_corporation', 1],
	['school', 1],
	['network', 2],
	['public_interest_association', 1],
	['public_interest_foundation', 0.5],
	['general_incorporated_foundation', 0.5],
	[null, 4]
];
const LARGE_LEGAL_FORMS: Array<readonly [string, number]> = [
	['social_welfare_council', 5],
	['municipality', 3],
	['certified_npo', 3],
	['social_welfare_corporation', 2],
	['network', 1]
];

function orgName(ctx: Context, legalForm: string | null, city: City, nick: string): [string, string | null] {
	const { rng } = ctx;
	const office = /区$|市$/.test(city.name) ? '役所' : '役場';
	switch (legalForm) {
		case 'social_welfare_council':
			return [`${city.name}社会福祉協議会`, null];
		case 'municipality':
			return [`${city.name}${office}`, null];
		case 'social_welfare_corporation':
			return rng.chance(0.5) ? [`${nick}会`, `${nick}かい`] : [`${nick}福祉会`, `${nick}ふくしかい`];
		case 'general_incorporated_association':
		case 'public_interest_association':
			return rng.pick([
				[`${nick}協会`, `${nick}きょうかい`],
				[`${nick}ラボ`, `${nick}らぼ`],
				[`${city.short}${nick}ネットワーク`, null]
			] as Array<[string, string | null]>);
		case 'general_incorporated_foundation':
		case 'public_interest_foundation':
			return [`${nick}財団`, `${nick}ざいだん`];
		case 'voluntary_group':
			return rng.pick([
				[`${nick}の会`, `${nick}のかい`],
				[`${city.short}${rng.pick(['こども食堂', 'ふれあい', '居場所づくり'])}実行委員会`, null],
				[`${nick}サークル`, `${nick}さーくる`]
			] as Array<[string, string | null]>);
		case 'llc':
			return [`${katakana(nick)}合同会社`, `${nick}ごうどうがいしゃ`];
		case 'kabushiki_kaisha':
			return [`株式会社${katakana(nick)}`, `かぶしきがいしゃ${nick}`];
		case 'cooperative':
			return rng.chance(0.5) ? [`生活協同組合${nick}`, `せいかつきょうどうくみあい${nick}`] : [`${city.short}ワーカーズコープ`, null];
		case 'religious_corporation': {
			const [name, kana] = rng.pick(TEMPLES);
			return rng.chance(0.8) ? [name, kana] : [`${city.short}キリスト教会`, null];
		}
		case 'school_corporation':
			return [`${nick}学園`, `${nick}がくえん`];
		case 'school':
			return [`${city.short}第${rng.int(1, 9)}中学校`, null];
		case 'network':
			return [`${city.short}${rng.pick(['つながりネットワーク', 'こども食堂ネットワーク', '孤独・孤立対策プラットフォーム'])}`, null];
		default:
			return rng.pick([
				[nick, nick],
				[`${nick}の会`, `${nick}のかい`],
				[`${nick}ネット`, `${nick}ねっと`],
				[`${nick}プロジェクト`, `${nick}ぷろじぇくと`],
				[`${nick}ステーション`, `${nick}すてーしょん`],
				[`${city.short}${nick}の会`, null]
			] as Array<[string, string | null]>);
	}
}

function makeSchedules(ctx: Context, form: FormCode): ScheduleInput[] {
	const { rng } = ctx;
	const count = rng.weighted([
		[0, 25],
		[1, 55],
		[2, 15],
		[3, 5]
	] as const);
	const out: ScheduleInput[] = [];
	for (let i = 0; i < count; i++) {
		if (rng.chance(0.2)) {
			out.push({ rrule: null, dtstart: '2025-04-01', until: null, count: null, exdates: [], opensAt: null, closesAt: null, closedOnHolidays: false, note: rng.pick(NULL_RULE_NOTES) });
			continue;
		}
		const weekly = rng.chance(WEEKLY_FORMS.has(form) ? 0.7 : 0.3);
		let rrule: string = rng.weighted(weekly ? RULES_WEEKLY : RULES_MONTHLY);
		const slotKind = rng.weighted(
			SLOT_BY_FORM[form] ?? [
				['morning', 2],
				['afternoon', 3],
				['evening', 1]
			]
		);
		const [opens, closes] = rng.pick(SLOTS[slotKind]);
		const allDay = rng.chance(0.08);
		const opensAt = allDay ? null : opens;
		const closesAt = allDay || rng.chance(0.05) ? null : closes;
		const weekdaysOnly = /BYDAY=(MO|TU|WE|TH|FR)(,(MO|TU|WE|TH|FR))*$/.test(rrule);
		const closedOnHolidays = rng.chance(weekdaysOnly ? 0.3 : 0.08);
		let dtstart = rng.pick(ctx.dtstarts);
		let until: string | null = null;
		// A course with a fixed number of sessions (連続講座), or a rule that ends.
		if (form === 'learning' && weekly && rng.chance(0.2)) {
			rrule = `FREQ=WEEKLY;BYDAY=${rng.pick(['TU', 'TH', 'SA'])};COUNT=${rng.pick([4, 6, 8, 11])}`;
			dtstart = addDays(ctx.today, rng.int(-30, 40));
		} else if (rng.chance(0.04)) {
			until = addDays(ctx.today, rng.pick([-60, -10, 20, 45, 90, 200]));
		}
		const exdates = rng.chance(0.05) ? yearEndDays(ctx.today) : [];
		const note = rrule.includes('COUNT=') ? `全${/COUNT=(\d+)/.exec(rrule)![1]}回の連続講座` : ruleNote(rrule, opensAt, closesAt, closedOnHolidays);
		out.push({ rrule, dtstart, until, count: null, exdates, opensAt, closesAt, closedOnHolidays, note: exdates.length ? `${note}（年末年始休み）` : note });
	}
	return out;
}

/** 年末年始 (29 Dec – 3 Jan) of the coming winter. */
function yearEndDays(today: string): string[] {
	const year = Number(today.slice(0, 4)) + (today.slice(5) > '01-03' ? 0 : -1);
	return ['12-29', '12-30', '12-31'].map((d) => `${year}-${d}`).concat(['01-01', '01-02', '01-03'].map((d) => `${year + 1}-${d}`));
}

function makeProgram(ctx: Context, org: { slug: string; nick: string; legalForm: string | null; home: City; prefecture: Prefecture; venues: Venue[] }, index: number, globalIndex: number, places: number): ProgramInput {
	const { rng, vocab } = ctx;
	const online = places === ONLINE;
	const primary: FormCode = online ? rng.weighted(ONLINE_FORMS) : rng.weighted(FORM_WEIGHTS);
	const forms = [
		primary,
		...rng.sample(
			RELATED_FORMS[primary] ?? FORM_WEIGHTS.map(([f]) => f),
			rng.weighted([
				[0, 45],
				[1, 40],
				[2, 15]
			] as const)
		)
	].filter((f, i, all) => all.indexOf(f) === i);
	const targets = rng.sample(
		TARGETS_BY_FORM[primary] ?? ['residents'],
		rng.weighted([
			[0, 10],
			[1, 40],
			[2, 35],
			[3, 15]
		] as const)
	);
	const stages = [...new Set(targets.flatMap((t) => STAGES_BY_TARGET[t] ?? []))].slice(0, 4);
	const lifeStages = rng.chance(0.3) || !stages.length ? ['all_ages'] : stages;

	// Places: the organisation's own venue first; some programs run in several towns.
	const locations: LocationInput[] = [];
	if (!online) {
		for (let i = 0; i < places; i++) {
			if (i === 0 && rng.chance(0.75)) locations.push(org.venues[0]);
			else if (rng.chance(0.5) && org.venues.length < 6) {
				const city = rng.chance(0.85) ? rng.weighted(org.prefecture.cityWeights) : rng.chance(0.9) ? rng.weighted(rng.weighted(PREFECTURE_WEIGHTS).cityWeights) : null;
				const venue = makeVenue(ctx, city, org.prefecture, org.nick);
				org.venues.push(venue);
				locations.push(venue);
			} else locations.push(rng.pick(org.venues));
		}
	}
	const placeCity = locations[0]?.city ?? org.home.name;
	const placeShort = locations[0]?.city ? shortName(locations[0].city) : org.home.short;

	const noun = rng.pick(TITLE_NOUNS[primary]);
	const targetWords = targets.flatMap((t) => TARGET_WORDS[t] ?? []);
	const nick = rng.chance(0.15) && vocab.names.length ? rng.pick(vocab.names) : rng.pick(NICKNAMES);
	const title = rng.weighted([
		[`${nick}${noun}`, 4],
		[`${noun}「${nick}」`, 3],
		[`${placeShort}${noun}`, 3],
		[targetWords.length ? `${rng.pick(targetWords)}の${noun}` : `みんなの${noun}`, 3],
		[`${noun}（${rng.pick(TITLE_MODIFIERS)}）`, 1],
		[`${org.nick}の${noun}`, 1]
	] as const);

	const targetLabels = targets.map((t) => label('targets', t));
	const who = targetLabels.length ? targetLabels.slice(0, 2).join('や') : '地域のみなさん';
	const summary = rng.weighted([
		[`${placeCity}で、${who}が${FORM_VERBS[primary]}${label('forms', primary).replace(/\(.+\)$/, '')}です。`, 3],
		[`${who}のための${noun}です。${FORM_VERBS[primary].replace(/る$/, 'ます')}。`, 2],
		[online ? `${who}がオンラインで${FORM_VERBS[primary]}場です。` : `${placeShort}の${locations[0]?.name ?? '地域'}で開く${noun}です。`, 2]
	] as const);

	const cost: ProgramInput['cost'] = rng.weighted([
		[{ kind: 'free', amountYen: null, note: rng.pick(['参加無料', '無料', null, '相談無料']) }, 40],
		[{ kind: 'pay_what_you_can', amountYen: null, note: rng.pick(['自由価格制', 'カンパ制', 'お気持ちで']) }, 8],
		[{ kind: 'fixed', amountYen: rng.pick([100, 200, 300, 500, 1000, 1500, 3000]), note: null }, 20],
		[{ kind: 'unknown', amountYen: null, note: null }, 32]
	] as const);
	if (cost.kind === 'fixed') cost.note = primary === 'kodomo_shokudo' ? `子ども無料、大人${cost.amountYen}円` : `参加費1回${cost.amountYen}円`;
	if (primary === 'kodomo_shokudo' && cost.kind === 'unknown' && rng.chance(0.5)) Object.assign(cost, { kind: 'free', note: '子どもは無料' });

	const schedules = online && rng.chance(0.5) ? [] : makeSchedules(ctx, primary);
	const timing = schedules.find((s) => s.rrule) ?? schedules[0];
	const description = [
		...rng.sample(FORM_SENTENCES[primary], rng.int(1, 2)),
		...(forms[1] ? [rng.pick(FORM_SENTENCES[forms[1]])] : []),
		targetLabels.length ? `${targetLabels[0]}を主な対象としていますが、どなたでも参加できます。` : '',
		timing?.rrule ? `${timing.note}に開いています。` : timing?.note ? `開催：${timing.note}。` : '',
		rng.chance(0.5) ? rng.pick(vocab.sentences) : '',
		rng.chance(0.2) ? rng.pick(vocab.sentences) : ''
	]
		.filter(Boolean)
		.join('');

	const partners = Array.from(
		{
			length: rng.weighted([
				[0, 55],
				[1, 25],
				[2, 15],
				[3, 5]
			] as const)
		},
		() => {
			const name = rng.pick([`${placeCity}社会福祉協議会`, placeCity, `${placeShort}商店会`, `${rng.pick(SURNAMES)}内科クリニック`, `${placeShort}大学`, `地域包括支援センター${rng.pick(NICKNAMES)}`, `フードバンク${placeShort}`, `${rng.pick(TEMPLES)[0]}`]);
			return { name, role: rng.chance(0.8) ? rng.pick(vocab.roles.length && rng.chance(0.3) ? vocab.roles : PARTNER_ROLES) : null };
		}
	).filter((p, i, all) => all.findIndex((q) => q.name === p.name) === i);

	const joinMethod = rng.weighted([
		['no_registration', primary === 'ibasho' || primary === 'kodomo_shokudo' || primary === 'gathering' ? 30 : 12],
		['reservation', 25],
		['membership', 6],
		['referral_only', primary.startsWith('consult') || primary === 'outreach' ? 8 : 1],
		['unknown', 35]
	] as const);
	const languages = ['ja', ...(rng.chance(targets.includes('foreign_roots') ? 0.7 : 0.06) ? rng.sample(['ja-easy', 'en', 'zh', 'vi', 'pt', 'ko', 'tl', 'ne', 'my', 'es', 'id', 'jsl'], rng.int(1, 3)) : [])];
	const status = rng.weighted([
		['active', 94],
		['planned', 3],
		['ended', 3]
	] as const);
	const periodStart = rng.chance(0.35) ? `${rng.int(2012, 2025)}-${pad(rng.int(1, 12), 2)}` : null;
	return {
		slug: `${org.slug}-${pad(index + 1, 2)}`,
		title: title.slice(0, 120),
		summary: summary.slice(0, 200),
		description: description.slice(0, 3000),
		forms,
		targets,
		lifeStages,
		partnershipType: rng.weighted([
			[null, 60],
			['public_private', 25],
			['private_private', 15]
		] as const),
		partners,
		cost,
		joinMethod,
		joinNote: joinMethod !== 'unknown' && rng.chance(0.5) ? rng.pick(JOIN_NOTES[joinMethod]) : null,
		firstTimeNote: rng.chance(0.3) ? rng.pick(FIRST_TIME_NOTES) : null,
		languages,
		deliveryMode: online ? 'online' : rng.chance(primary.startsWith('consult') ? 0.25 : 0.04) ? 'both' : 'in_person',
		status,
		periodStart,
		periodEnd: status === 'ended' && periodStart ? `${Math.min(2026, Number(periodStart.slice(0, 4)) + rng.int(0, 3))}-${pad(rng.int(1, 12), 2)}` : null,
		outcomes: rng.chance(0.25) ? rng.pick([`これまでに延べ${rng.int(50, 3000)}人が参加しました。`, `年間${rng.int(20, 800)}件の相談に対応しています。`, `参加者の${rng.int(60, 95)}%が「また来たい」と答えています。`, `毎回${rng.int(5, 60)}人ほどが参加しています。`]) : null,
		contact: {
			phone: rng.chance(0.4) ? `0${rng.int(1, 9)}${rng.int(0, 9)}-${pad(rng.int(100, 9999), 4)}-${pad(rng.int(0, 9999), 4)}` : null,
			email: rng.chance(0.3) ? `info-${globalIndex}@example.org` : null,
			url: rng.chance(0.3) ? `https://example.org/programs/${globalIndex}` : null
		},
		locations,
		schedules
	};
}

function makeOrganization(ctx: Context, index: number, programCount: number, places: Uint8Array, firstProgram: number): OrganizationInput {
	const { rng } = ctx;
	const prefecture = rng.weighted(PREFECTURE_WEIGHTS);
	const home = rng.weighted(prefecture.cityWeights);
	const legalForm = programCount >= 15 && rng.chance(0.7) ? rng.weighted(LARGE_LEGAL_FORMS) : rng.weighted(LEGAL_FORMS);
	const nick = rng.pick(NICKNAMES);
	const [name, nameKana] = orgName(ctx, legalForm, home, nick);
	const slug = `scale-${pad(index + 1, 6)}`;
	const venues = [makeVenue(ctx, home, prefecture, nick)];
	const org = { slug, nick, legalForm, home, prefecture, venues };
	const programsOut = Array.from({ length: programCount }, (_, i) => makeProgram(ctx, org, i, firstProgram + i, places[firstProgram + i]));
	const forms = [...new Set(programsOut.flatMap((p) => p.forms))].slice(0, 3).map((f) => label('forms', f));
	const role = legalForm === 'kabushiki_kaisha' || legalForm === 'llc' ? '代表取締役' : legalForm === 'social_welfare_council' ? '会長' : rng.pick(['代表理事', '理事長', '代表', '会長']);
	return {
		slug,
		name,
		nameKana,
		legalForm,
		representative: legalForm !== 'municipality' && rng.chance(0.5) ? `${role} ${rng.pick(SURNAMES)}${rng.pick(GIVEN_NAMES)}` : null,
		founded: rng.chance(0.7) ? `${rng.chance(0.8) ? rng.int(2000, 2024) : rng.int(1950, 1999)}-${pad(rng.int(1, 12), 2)}` : null,
		address: { prefecture: prefecture.name, city: home.name, line: rng.chance(0.5) ? `${rng.int(1, 5)}丁目${rng.int(1, 30)}-${rng.int(1, 20)}` : null, postalCode: rng.chance(0.5) ? `${pad(rng.int(100, 999), 3)}-${pad(rng.int(0, 9999), 4)}` : null },
		website: rng.chance(0.5) ? `https://example.org/${slug}/` : null,
		message: rng.chance(0.2) ? rng.pick(['誰もがひとりにならない地域をめざしています。', 'いつでも気軽にお立ち寄りください。', '地域のみなさんと一緒に、つながりの場をつくっています。', 'ボランティアも募集しています。']) : null,
		description: `${home.name}を拠点に、${forms.join('・')}などに取り組む${legalForm ? label('legalForms', legalForm) : '団体'}です。${rng.chance(0.5) ? rng.pick(ctx.vocab.sentences) : ''}`.slice(0, 2000),
		source: null,
		programs: programsOut
	};
}

// ───────────────────────────────────────────────────────────── rows, as save.ts writes them

type OrganizationRow = typeof organizations.$inferInsert;
type ProgramRow = typeof programs.$inferInsert;
type LocationRow = typeof locations.$inferInsert;
type ProgramLocationRow = typeof programLocations.$inferInsert;
type PartnerRow = typeof programPartners.$inferInsert;
type ScheduleRow = typeof schedules.$inferInsert;

interface Rows {
	organizations: OrganizationRow[];
	programs: ProgramRow[];
	locations: LocationRow[];
	programLocations: ProgramLocationRow[];
	partners: PartnerRow[];
	schedules: ScheduleRow[];
}

/** The rows saveOrganization writes (the same mapping functions), with ids from `ids`. */
function rowsOf(input: OrganizationInput, ids: Rng, rows: Rows) {
	const orgId = ids.uuid();
	rows.organizations.push({ id: orgId, ...organizationRow(input) });
	for (const program of input.programs) {
		const programId = ids.uuid();
		rows.programs.push({ id: programId, ...programRow(orgId, { name: input.name, nameKana: input.nameKana }, program) });
		const locationIds: string[] = [];
		for (const [position, place] of program.locations.entries()) {
			const locationId = ids.uuid();
			locationIds.push(locationId);
			rows.locations.push({ id: locationId, ...locationRow(orgId, place) });
			rows.programLocations.push({ programId, locationId, position });
		}
		program.partners.forEach((p, position) => rows.partners.push({ id: ids.uuid(), programId, name: p.name, role: p.role, position }));
		program.schedules.forEach((s, position) => rows.schedules.push({ id: ids.uuid(), ...scheduleRow(programId, locationIds[0] ?? null, s, position) }));
	}
}

// ───────────────────────────────────────────────────────────── fast writes

/** The owner's handle (the pool or its transaction): what bulk writes need of it. */
type Runner = Pick<Pool, 'execute'>;

/** Column names of a table, by the TypeScript key (so a renamed column fails to compile, not to load). */
function columnNames(table: PgTable): Map<string, string> {
	return new Map(Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name]));
}

/**
 * Multi-row insert through one JSON parameter: `json_populate_recordset` turns it into rows of the
 * table's type (JSON arrays become PostgreSQL arrays), so a batch is one statement with one bound
 * value — no 65,535-parameter limit and little parsing on either side.
 */
async function insertJson(db: Runner, table: PgTable, rows: object[], batchBytes = 8_000_000) {
	if (!rows.length) return;
	const names = columnNames(table);
	const keys = Object.keys(rows[0]);
	const columns = keys.map((k) => {
		const name = names.get(k);
		if (!name) throw new Error(`unknown column ${k}`);
		return name;
	});
	const tableName = getTableName(table);
	const columnList = sql.raw(columns.map((c) => `"${c}"`).join(', '));
	let batch: string[] = [];
	let size = 0;
	const flush = async () => {
		if (!batch.length) return;
		const json = `[${batch.join(',')}]`;
		await db.execute(sql`insert into ${sql.identifier(tableName)} (${columnList}) select ${columnList} from json_populate_recordset(null::${sql.identifier(tableName)}, ${json}::json)`);
		batch = [];
		size = 0;
	};
	for (const row of rows) {
		const r = row as Record<string, unknown>;
		const obj: Record<string, unknown> = {};
		for (let i = 0; i < keys.length; i++) obj[columns[i]] = r[keys[i]] ?? null;
		const text = JSON.stringify(obj);
		batch.push(text);
		size += text.length * 2;
		if (size >= batchBytes) await flush();
	}
	await flush();
}

function getTableName(table: PgTable): string {
	return (table as unknown as Record<symbol, string>)[Symbol.for('drizzle:Name')];
}

// ───────────────────────────────────────────────────────────── upcoming dates

/**
 * Rebuild program_upcoming_dates for every program, as `refreshUpcomingDates(scope, today)` does: the
 * same rows (the app's `expandSchedule` over the same horizon, duplicates per program dropped as
 * its ON CONFLICT DO NOTHING drops them), but schedules that are identical in every field the
 * expansion reads are expanded once. A national region has ~10^5 rules and few distinct ones; the
 * unshared path costs a few milliseconds per rule (rrule.js plus one Intl.DateTimeFormat per
 * occurrence), which is minutes at this scale.
 */
export async function rebuildUpcomingDates(db: Runner, today: string): Promise<{ rules: number; distinct: number; rows: number }> {
	const until = addDays(today, UPCOMING_HORIZON_DAYS);
	const result = await db.execute<{
		program_id: string;
		rrule: string;
		dtstart: string;
		until: string | null;
		count: number | null;
		exdates: string[];
		opens_at: string | null;
		closes_at: string | null;
		timezone: string;
		closed_on_holidays: boolean;
	}>(sql`select program_id, rrule, dtstart::text as dtstart, until::text as until, count, exdates::text[] as exdates, opens_at, closes_at, timezone, closed_on_holidays
		from schedules where rrule is not null order by program_id, position`);
	const cache = new Map<string, Array<{ day: string; startsAt: string; endsAt: string | null; allDay: boolean }>>();
	await db.execute(sql`delete from program_upcoming_dates`);
	let rows: Array<{ programId: string; day: string; startsAt: string; endsAt: string | null; allDay: boolean }> = [];
	let seen = new Set<string>();
	let lastProgram = '';
	let total = 0;
	for (const s of result.rows) {
		const rule: ScheduleRule = {
			rrule: s.rrule,
			dtstart: s.dtstart,
			until: s.until,
			count: s.count,
			exdates: s.exdates,
			opensAt: s.opens_at,
			closesAt: s.closes_at,
			closedOnHolidays: s.closed_on_holidays,
			timezone: s.timezone
		};
		const key = JSON.stringify(rule);
		let occurrences = cache.get(key);
		if (!occurrences) {
			occurrences = expandSchedule(rule, today, until).map((o) => ({ day: o.day, startsAt: o.start.toISOString(), endsAt: o.end?.toISOString() ?? null, allDay: o.allDay }));
			cache.set(key, occurrences);
		}
		if (s.program_id !== lastProgram) {
			seen = new Set();
			lastProgram = s.program_id;
			if (rows.length >= 50_000) {
				await insertJson(db, programUpcomingDates, rows);
				total += rows.length;
				rows = [];
			}
		}
		for (const o of occurrences) {
			if (seen.has(o.startsAt)) continue; // primary key (program_id, starts_at)
			seen.add(o.startsAt);
			rows.push({ programId: s.program_id, ...o });
		}
	}
	await insertJson(db, programUpcomingDates, rows);
	total += rows.length;
	await updateNextOccurrences(db);
	return { rules: result.rows.length, distinct: cache.size, rows: total };
}

// ───────────────────────────────────────────────────────────── the region

export interface GenerateOptions {
	/** Asia/Tokyo day the upcoming dates start from (default: today). */
	today?: string;
	log?: (line: string) => void;
	/** Validate every n-th organisation with the app's zod schema (0: never). */
	validateEvery?: number;
}

export interface GenerateReport {
	sizes: RegionSizes;
	seed: number;
	today: string;
	counts: Record<string, number>;
	seconds: Record<string, number>;
}

const DIRECTORY_TABLES = ['organizations', 'locations', 'programs', 'program_locations', 'program_partners', 'schedules', 'program_upcoming_dates'];

/**
 * Replace the directory of `db` with a synthetic region. `db` must connect as the owner of the
 * tables (TRUNCATE, index rebuilds and ANALYZE are the owner's), e.g. `Database.adminUrl`.
 */
export async function generateRegion(db: Pool, sizes: RegionSizes, seed = 1, options: GenerateOptions | string = {}): Promise<GenerateReport> {
	if (typeof options === 'string') options = { today: options };
	const log = options.log ?? (() => undefined);
	const today = options.today ?? localDay(new Date(), 'Asia/Tokyo');
	const validateEvery = options.validateEvery ?? 97;
	const seconds: Record<string, number> = {};
	const started = performance.now();
	let mark = started;
	const lap = (name: string) => {
		const now = performance.now();
		seconds[name] = Math.round(now - mark) / 1000;
		mark = now;
	};

	const rng = new Rng(seed);
	const ids = new Rng(seed ^ 0x5eed1d5);
	const vocab = demoVocabulary();
	// Most sources give no start ("from April" at best; the demo format defaults to 2025-04-01), and
	// few distinct starts keep the number of distinct schedules — expanded once each — small.
	const ctx: Context = { rng, vocab, today, dtstarts: ['2025-04-01', '2025-04-01', '2025-04-01', '2025-04-01', '2025-04-01', '2024-04-01', '2024-04-01', '2025-10-01', '2023-04-01'] };
	const plan = makePlan(rng, sizes);
	const orgCount = plan.programsPerOrg.length;
	lap('plan');

	// The tables' owner needs no row-level security context: its pool stands in for the system's transaction.
	await saveTaxonomies(db as unknown as Tx<'system'>);
	const counts: Record<string, number> = { organizations: 0, programs: 0, locations: 0, program_locations: 0, program_partners: 0, schedules: 0 };
	const upcoming = await db.transaction(async (tx) => {
		await tx.execute(sql`set local maintenance_work_mem = '512MB'`);
		await tx.execute(sql.raw(`truncate table ${DIRECTORY_TABLES.join(', ')} cascade`));
		// GIN indexes are far cheaper to build once at the end than to maintain row by row.
		const gin = await tx.execute<{ name: string; definition: string }>(sql`
			select i.relname as name, pg_get_indexdef(i.oid) as definition
			from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_am am on am.oid = i.relam
			join pg_namespace n on n.oid = t.relnamespace
			where n.nspname = current_schema() and t.relname = any(${`{${DIRECTORY_TABLES.join(',')}}`}::text[]) and am.amname = 'gin'`);
		for (const index of gin.rows) await tx.execute(sql`drop index ${sql.identifier(index.name)}`);
		lap('prepare');

		let programIndex = 0;
		let timeMaking = 0;
		let timeWriting = 0;
		const chunk = 400;
		for (let first = 0; first < orgCount; first += chunk) {
			const t0 = performance.now();
			const rows: Rows = { organizations: [], programs: [], locations: [], programLocations: [], partners: [], schedules: [] };
			for (let i = first; i < Math.min(orgCount, first + chunk); i++) {
				const input = makeOrganization(ctx, i, plan.programsPerOrg[i], plan.placesPerProgram, programIndex);
				if (validateEvery && i % validateEvery === 0) {
					const check = organizationInput.safeParse(input);
					if (!check.success) throw new Error(`generated organisation ${input.slug} is not valid input: ${JSON.stringify(check.error.issues.slice(0, 3))}`);
				}
				programIndex += plan.programsPerOrg[i];
				rowsOf(input, ids, rows);
			}
			const t1 = performance.now();
			await insertJson(tx, organizations, rows.organizations);
			await insertJson(tx, programs, rows.programs);
			await insertJson(tx, locations, rows.locations);
			await insertJson(tx, programLocations, rows.programLocations);
			await insertJson(tx, programPartners, rows.partners);
			await insertJson(tx, schedules, rows.schedules);
			const t2 = performance.now();
			timeMaking += t1 - t0;
			timeWriting += t2 - t1;
			counts.organizations += rows.organizations.length;
			counts.programs += rows.programs.length;
			counts.locations += rows.locations.length;
			counts.program_locations += rows.programLocations.length;
			counts.program_partners += rows.partners.length;
			counts.schedules += rows.schedules.length;
			if ((first / chunk) % 10 === 9 || first + chunk >= orgCount) log(`  ${counts.organizations}/${orgCount} organisations, ${counts.programs} programs`);
		}
		seconds.make_rows = Math.round(timeMaking) / 1000;
		seconds.write_rows = Math.round(timeWriting) / 1000;
		lap('rows');

		const upcoming = await rebuildUpcomingDates(tx, today);
		lap('upcoming_dates');
		log(`  upcoming dates: ${upcoming.rows} rows from ${upcoming.rules} rules (${upcoming.distinct} distinct)`);
		for (const index of gin.rows) await tx.execute(sql.raw(index.definition));
		lap('gin_indexes');
		return upcoming;
	});
	counts.program_upcoming_dates = upcoming.rows;
	await db.execute(sql.raw(`vacuum (analyze) ${DIRECTORY_TABLES.join(', ')}`));
	lap('vacuum_analyze');
	seconds.total = Math.round(performance.now() - started) / 1000;
	return { sizes, seed, today, counts, seconds };
}
