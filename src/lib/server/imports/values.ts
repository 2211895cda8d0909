/**
 * Cell text ↔ the directory's values, for the cells that are not plain text: 参加費, 申込, 対象,
 * 取組のかたち, 法人格, phone numbers. Each reader answers the value or the reason it cannot
 * (an i18n key); each writer writes what its reader reads back to the same value.
 */
import { taxonomy, type ProgramInput } from '../directory';

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };
const yes = <T>(value: T): Read<T> => ({ ok: true, value });
const no = (reason: string): Read<never> => ({ ok: false, reason });

const fold = (t: string) => t.normalize('NFKC').replace(/\s+/g, ' ').trim();
const tight = (t: string) => fold(t).replace(/\s/g, '');

// ── 参加費 ─────────────────────────────────────────────────────────────────────────────────────

type Cost = ProgramInput['cost'];

/** A head the export writes (無料, 100円, カンパ制, 要確認) and the note after it, as written. */
const COST_HEAD = /^(無料|0円|なし|有料|[0-9０-９][0-9０-９,，]*円|カンパ制?|投げ銭|お気持ち|任意|要確認)(?:[\s\u3000]+([\s\S]+))?$/;

export function readCost(text: string): Read<Cost> {
	const given = text.trim();
	const m = COST_HEAD.exec(given);
	if (m) {
		const head = fold(m[1]);
		const note = m[2]?.trim() || null;
		if (/^(無料|0円|なし)$/.test(head)) return checkNote({ kind: 'free', amountYen: null, note });
		if (head.endsWith('円')) return amount(head.slice(0, -1), note);
		if (head === '有料') return checkNote({ kind: 'fixed', amountYen: null, note });
		if (head === '要確認') return note ? checkNote({ kind: 'unknown', amountYen: null, note }) : yes({ kind: 'unknown', amountYen: null, note: null });
		return checkNote({ kind: 'pay_what_you_can', amountYen: null, note });
	}
	// An amount inside the words (「おやつ代300円」): that amount, the words kept as the note.
	const inside = /(\d{1,3}(?:,\d{3})+|\d+)円/.exec(fold(given));
	if (inside) return amount(inside[1], given);
	return checkNote({ kind: 'unknown', amountYen: null, note: given });
}

function amount(digits: string, note: string | null): Read<Cost> {
	const yen = Number(digits.replace(/[,，]/g, ''));
	if (yen > 1_000_000) return no('imports.value.amount');
	return checkNote({ kind: 'fixed', amountYen: yen, note });
}

function checkNote(cost: Cost): Read<Cost> {
	return cost.note && cost.note.length > 200 ? no('imports.value.tooLong200') : yes(cost);
}

export function costText(cost: Cost): string {
	const note = cost.note ? ` ${cost.note}` : '';
	if (cost.kind === 'free') return `無料${note}`;
	if (cost.kind === 'fixed') return cost.amountYen !== null ? `${cost.amountYen}円${note}` : `有料${note}`;
	if (cost.kind === 'pay_what_you_can') return `カンパ制${note}`;
	if (!cost.note) return '';
	const back = readCost(cost.note);
	return back.ok && back.value.kind === 'unknown' && back.value.note === cost.note ? cost.note : `要確認 ${cost.note}`;
}

// ── 申込 ───────────────────────────────────────────────────────────────────────────────────────

type JoinMethod = ProgramInput['joinMethod'];
const JOIN_WORDS: Array<[RegExp, JoinMethod]> = [
	[/^(?:不要|申込不要|申し込み不要|予約不要|なし|無し|いりません|直接来場|自由参加|当日参加可)$/, 'no_registration'],
	[/^(?:要|必要|要予約|予約制|要申込|要申込み|要申し込み|事前申込|事前予約|予約が必要|あり)$/, 'reservation'],
	[/^(?:会員制|会員のみ|登録制)$/, 'membership'],
	[/^(?:紹介のみ|紹介制|紹介が必要)$/, 'referral_only'],
	[/^(?:不明|要確認)$/, 'unknown']
];
const JOIN_TEXT: Record<JoinMethod, string> = { no_registration: '不要', reservation: '要予約', membership: '会員制', referral_only: '紹介のみ', unknown: '要確認' };

export function readJoinMethod(text: string): Read<JoinMethod> {
	const t = tight(text);
	const hit = JOIN_WORDS.find(([re]) => re.test(t));
	return hit ? yes(hit[1]) : no('imports.value.joinMethod');
}

export const joinMethodText = (m: JoinMethod) => JOIN_TEXT[m];

// ── 対象, 取組のかたち, 法人格: taxonomy labels ────────────────────────────────────────────────

/** Words sheets use for whom a program is for, beside the taxonomy's own labels. */
const TARGET_WORDS: Record<string, { targets?: string[]; lifeStages?: string[] }> = {
	どなたでも: { lifeStages: ['all_ages'] },
	どなたでも参加できます: { lifeStages: ['all_ages'] },
	誰でも: { lifeStages: ['all_ages'] },
	だれでも: { lifeStages: ['all_ages'] },
	地域の方: { lifeStages: ['all_ages'] },
	地域の方どなたでも: { lifeStages: ['all_ages'] },
	高齢者: { targets: ['elderly'] },
	シニア: { lifeStages: ['senior'] },
	'65歳以上': { lifeStages: ['senior'] },
	'65歳以上の方': { lifeStages: ['senior'] },
	おおむね65歳以上の方: { lifeStages: ['senior'] },
	子ども: { targets: ['children'] },
	こども: { targets: ['children'] },
	子供: { targets: ['children'] },
	親子: { targets: ['parents_young_children'] },
	乳幼児と保護者: { targets: ['parents_young_children'] },
	子育て中の方: { targets: ['parents'] }
};

/** Labels compared without brackets, and with every wave dash alike (Windows writes 〜 as ～). */
const labelKey = (t: string) =>
	tight(t)
		.replace(/[()（）]/g, '')
		.replace(/[〜～~]/g, '~');

export function readTarget(text: string): { targets: string[]; lifeStages: string[]; unknown: string[] } {
	const out = { targets: [] as string[], lifeStages: [] as string[], unknown: [] as string[] };
	const one = (piece: string): boolean => {
		const key = labelKey(piece);
		const target = taxonomy.targets.find((t) => labelKey(t.ja) === key);
		const stage = taxonomy.lifeStages.find((t) => labelKey(t.ja) === key);
		const word = TARGET_WORDS[key];
		if (target) out.targets.push(target.code);
		else if (stage) out.lifeStages.push(stage.code);
		else if (word) {
			out.targets.push(...(word.targets ?? []));
			out.lifeStages.push(...(word.lifeStages ?? []));
		}
		return !!(target || stage || word);
	};
	for (const piece of fold(text)
		.split(/[、,/／\n]| (?=\S)/)
		.map((p) => p.trim())
		.filter(Boolean)) {
		// A label may hold ・ itself (ケアラー・ヤングケアラー); else 「高齢者・子ども」 is two.
		if (one(piece)) continue;
		const parts = piece.split('・').filter(Boolean);
		if (parts.length > 1 && parts.every((p) => labelKeyKnown(p))) parts.forEach(one);
		else out.unknown.push(piece);
	}
	return { targets: [...new Set(out.targets)], lifeStages: [...new Set(out.lifeStages)], unknown: out.unknown };
}

function labelKeyKnown(piece: string): boolean {
	const key = labelKey(piece);
	return taxonomy.targets.some((t) => labelKey(t.ja) === key) || taxonomy.lifeStages.some((t) => labelKey(t.ja) === key) || key in TARGET_WORDS;
}

/** Life stages first (as the program page lists them), then the people it is for. */
export function targetText(lifeStages: string[], targets: string[]): string {
	const label = (list: Array<{ code: string; ja: string }>, code: string) => list.find((t) => t.code === code)?.ja ?? code;
	return [...lifeStages.map((c) => label(taxonomy.lifeStages, c)), ...targets.map((c) => label(taxonomy.targets, c))].join('、');
}

export function readForms(text: string): Read<string[]> {
	const codes: string[] = [];
	for (const piece of fold(text)
		.split(/[、,/／\n]/)
		.map((p) => p.trim())
		.filter(Boolean)) {
		const hit = taxonomy.forms.find((f) => labelKey(f.ja) === labelKey(piece) || f.code === piece);
		if (!hit) return no('imports.value.forms');
		codes.push(hit.code);
	}
	return yes([...new Set(codes)]);
}

export const formsText = (codes: string[]) => codes.map((c) => taxonomy.forms.find((f) => f.code === c)?.ja ?? c).join('、');

export function readLegalForm(text: string): Read<string> {
	const hit = taxonomy.legalForms.find((f) => labelKey(f.ja) === labelKey(text));
	return hit ? yes(hit.code) : no('imports.value.legalForm');
}

export const legalFormText = (code: string | null) => (code ? (taxonomy.legalForms.find((f) => f.code === code)?.ja ?? '') : '');

// ── contact ────────────────────────────────────────────────────────────────────────────────────

/** 「044-123-4567」「０４４（１２３）４５６７」 → digits, hyphens and brackets as the program form takes them. */
export function readPhone(text: string): Read<string> {
	const t = tight(text).replace(/[ー－‐−]/g, '-');
	return /^[0-9+()-]{6,20}$/.test(t) ? yes(t) : no('imports.value.phone');
}

export function readPostalCode(text: string): Read<string> {
	const t = tight(text)
		.replace(/^〒/, '')
		.replace(/[ー－‐−]/g, '-');
	return /^\d{3}-?\d{4}$/.test(t) ? yes(t) : no('imports.value.postalCode');
}

export function readUrl(text: string): Read<string> {
	const t = tight(text);
	return /^https?:\/\/\S+$/.test(t) && t.length <= 300 ? yes(t) : no('imports.value.url');
}

export function readEmail(text: string): Read<string> {
	const t = tight(text);
	return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t) && t.length <= 254 ? yes(t) : no('imports.value.email');
}
