/**
 * Triage rules are data: a versioned JSON document, validated here, so that a later step can keep
 * reviewed versions in the database and the secretariat can change them without a release.
 */
import { z } from 'zod';
import { foldPattern } from './normalize';

/** In the order a counsellor should read them: immediate danger first. */
export const CRISIS_CATEGORIES = ['danger', 'suicide', 'self_harm', 'violence', 'abuse'] as const;
export type CrisisCategory = (typeof CRISIS_CATEGORIES)[number];

/**
 * The positions of a pattern's syntax: every character that is neither escaped (nor the escaping
 * backslash) nor inside a character class (nor the class's opening bracket), where quantifiers and
 * groups can stand. Both checks below read a pattern through it.
 */
function* regexSyntax(source: string): Generator<number> {
	let inClass = false;
	for (let i = 0; i < source.length; i++) {
		const c = source[i];
		if (c === '\\') {
			i++;
			continue;
		}
		if (inClass) {
			if (c === ']') inClass = false;
			continue;
		}
		if (c === '[') inClass = true;
		else yield i;
	}
}

/**
 * True when a quantified group holds a quantifier and one of the two is unbounded, e.g. (あ+)+ or
 * (.*)*: the shape that backtracks for ever on a long message. Rules will be edited by the
 * secretariat, and triage runs on every message, so such a pattern is refused.
 */
export function hasNestedQuantifier(source: string): boolean {
	const groups: Array<{ bounded: boolean; quantified: boolean }> = [];
	const quantifierAt = (i: number): 'none' | 'bounded' | 'unbounded' => {
		const c = source[i];
		if (c === '+' || c === '*') return 'unbounded';
		if (c === '?') return 'bounded';
		if (c === '{') {
			const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
			if (m) return m[2] !== undefined && m[3] === '' ? 'unbounded' : 'bounded';
		}
		return 'none';
	};
	for (const i of regexSyntax(source)) {
		const c = source[i];
		if (c === '(') groups.push({ bounded: false, quantified: false });
		else if (c === ')') {
			const inner = groups.pop();
			const q = quantifierAt(i + 1);
			if (inner && q !== 'none' && source[i + 1] !== '?' && (q === 'unbounded' ? inner.bounded || inner.quantified : inner.quantified)) return true;
			const outer = groups.at(-1);
			if (outer && inner && (inner.quantified || q === 'unbounded')) outer.quantified = true;
			if (outer && inner && (inner.bounded || q === 'bounded')) outer.bounded = true;
		} else {
			const q = quantifierAt(i);
			const top = groups.at(-1);
			if (top && q === 'unbounded') top.quantified = true;
			if (top && q === 'bounded' && c !== '?') top.bounded = true;
		}
	}
	return false;
}

/**
 * The unbounded quantifiers (+, *, {n,}) of a pattern, and whether one applies to a group. Two of
 * them (.*い.*た) backtrack in n³ on a 5,000-character message, and a group repeated without bound
 * ((あ|ああ)*) exponentially, even without nesting; the shipped rules use at most one, on a
 * character or a class, so a pattern is held to that.
 */
export function unboundedQuantifiers(source: string): { count: number; onGroup: boolean } {
	let count = 0;
	let onGroup = false;
	let previous = -1;
	for (const i of regexSyntax(source)) {
		const c = source[i];
		if (c === '+' || c === '*' || (c === '{' && /^\{\d+,\}/.test(source.slice(i)))) {
			count++;
			if (previous === i - 1 && source[previous] === ')') onGroup = true;
		}
		previous = i;
	}
	return { count, onGroup };
}

function regexProblem(source: string): string | null {
	if (hasNestedQuantifier(source)) return '入れ子の繰り返し（例 (あ+)+）は長い文で止まらなくなるため使えません';
	const unbounded = unboundedQuantifiers(source);
	if (unbounded.onGroup) return 'かっこ全体を上限なく繰り返す書き方（例 (あ|い)+）は長い文で止まらなくなるおそれがあるため使えません。{0,10} のように上限をつけてください';
	if (unbounded.count > 1) return '上限のない繰り返し（+ * {n,}）は一つのパターンに一つまでです。[^。]{0,20} のように上限をつけてください';
	let re: RegExp;
	try {
		re = new RegExp(foldPattern(source), 'u');
	} catch (e) {
		return `正規表現として読めません: ${(e as Error).message}`;
	}
	// A pattern that matches the empty string would mark every message urgent (or, as an exclusion, hide every match).
	if (re.test('')) return '空の文字列に一致するパターンは使えません';
	// The text is NFKC-normalised before matching, so a full-width letter or a half-width kana in a pattern could never match.
	if (/[\uff01-\uff5e\uff61-\uff9f]/.test(source)) return '全角英数字・半角カナは使わず、正規化した形（半角英数字・全角カナ）で書いてください';
	if (/[A-Z]/.test(source.replace(/\\[A-Za-z]/g, ''))) return '本文は小文字に正規化されるので、英字は小文字で書いてください';
	return null;
}

const patternSchema = z
	.string()
	.min(1, '空の語は使えません')
	.max(500, '語は500文字までです')
	.superRefine((source, ctx) => {
		const problem = regexProblem(source);
		if (problem) ctx.addIssue({ code: 'custom', message: `${problem}: ${source}` });
	});

const idSchema = z.string().regex(/^[a-z_]+\.[a-z0-9-]+$/, 'id は「分類.名前」の形（例 suicide.want-to-die）');
const noteSchema = z.string().max(2000, 'メモは2000文字までです').optional();

// Strict objects: a field this code does not know (a typo such as "pattern" for "patterns") is refused, not dropped.
export const exclusionSchema = z.strictObject({ id: idSchema, pattern: patternSchema, note: noteSchema });

export const ruleSchema = z.strictObject({
	id: idSchema,
	category: z.enum(CRISIS_CATEGORIES, `分類は ${CRISIS_CATEGORIES.join(' / ')} のどれかです`),
	patterns: z.array(patternSchema).min(1, '語が一つもありません'),
	exclusions: z.array(patternSchema).optional(),
	note: noteSchema
});

export const rulesSchema = z
	.strictObject({
		version: z
			.string()
			.min(1, '版の名前がありません')
			.max(100, '版の名前は100文字までです')
			.regex(/^[0-9A-Za-z][0-9A-Za-z._-]*$/, '版の名前は英数字と . _ - で書いてください（例 2026-12-2）'),
		description: z.string().max(4000).optional(),
		exclusions: z.array(exclusionSchema),
		rules: z.array(ruleSchema).min(1, '規則が一つもありません')
	})
	.superRefine((doc, ctx) => {
		const seen = new Set<string>();
		for (const id of [...doc.exclusions.map((e) => e.id), ...doc.rules.map((r) => r.id)]) {
			if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `id が重複しています: ${id}` });
			seen.add(id);
		}
	});

export type TriageRules = z.infer<typeof rulesSchema>;

/**
 * A rules set the secretariat saves or activates: as above, and every category keeps at least one
 * rule, since emptying one would silently stop a kind of crisis from being seen.
 */
export const reviewedRulesSchema = rulesSchema.superRefine((doc, ctx) => {
	for (const category of CRISIS_CATEGORIES) {
		if (!doc.rules.some((r) => r.category === category)) ctx.addIssue({ code: 'custom', path: ['rules'], message: `分類 ${category} の規則がありません` });
	}
});
export type TriageRule = z.infer<typeof ruleSchema>;

/** Validates a rules document (from the committed file, or later from the database); throws a ZodError on bad data. */
export function parseRules(json: unknown): TriageRules {
	return rulesSchema.parse(json);
}

/** Where an issue is, in words a secretariat reviewer reads: 「規則 suicide.disappear の語 3」. */
function placeOf(doc: unknown, path: PropertyKey[]): string {
	const d = (typeof doc === 'object' && doc !== null ? doc : {}) as { rules?: Array<{ id?: unknown }>; exclusions?: Array<{ id?: unknown }> };
	const [top, i, field, j] = path;
	const nameOf = (list: Array<{ id?: unknown }> | undefined, n: unknown) => {
		const id = Array.isArray(list) && typeof n === 'number' ? list[n]?.id : undefined;
		return typeof id === 'string' ? id : typeof n === 'number' ? `${n + 1}番目` : '';
	};
	const fieldName = (f: unknown) => ({ id: 'id', category: '分類', patterns: '語', exclusions: '除外', pattern: 'パターン', note: 'メモ' })[String(f)] ?? String(f ?? '');
	if (top === 'version') return '版の名前';
	if (top === 'description') return '説明';
	if (top === 'exclusions') return i === undefined ? '全体の除外' : `全体の除外 ${nameOf(d.exclusions, i)}${field === undefined ? '' : ` の${fieldName(field)}`}`;
	if (top === 'rules') {
		if (i === undefined) return '規則';
		const rule = `規則 ${nameOf(d.rules, i)}`;
		if (field === undefined) return rule;
		return typeof j === 'number' ? `${rule} の${fieldName(field)} ${j + 1}` : `${rule} の${fieldName(field)}`;
	}
	return '規則集';
}

export type RulesCheck = { ok: true; rules: TriageRules } | { ok: false; problems: string[] };

/**
 * Validates a rules document submitted or stored (`reviewedRulesSchema`), never throwing: every problem in Japanese with
 * where it is (「規則 suicide.disappear の語 3: 正規表現として読めません …」), for the reviewer.
 */
export function checkRules(json: unknown): RulesCheck {
	const parsed = reviewedRulesSchema.safeParse(json, { error: z.locales.ja().localeError });
	if (parsed.success) return { ok: true, rules: parsed.data };
	return { ok: false, problems: parsed.error.issues.map((issue) => `${placeOf(json, issue.path)}: ${issue.message}`) };
}

export interface CompiledRule {
	id: string;
	category: CrisisCategory;
	patterns: RegExp[];
	exclusions: RegExp[];
}

export interface CompiledRules {
	version: string;
	/** Every pattern of every rule in one expression: most messages match nothing, and one test says so. */
	any: RegExp;
	exclusions: RegExp[];
	rules: CompiledRule[];
}

const compile = (source: string) => new RegExp(foldPattern(source), 'gu');

// Rules documents are immutable once parsed; compiling once per document keeps triage to matching only.
const cache = new WeakMap<TriageRules, CompiledRules>();

export function compileRules(rules: TriageRules): CompiledRules {
	let compiled = cache.get(rules);
	if (!compiled) {
		compiled = {
			version: rules.version,
			any: new RegExp(rules.rules.flatMap((r) => r.patterns.map((p) => `(?:${foldPattern(p)})`)).join('|'), 'u'),
			exclusions: rules.exclusions.map((e) => compile(e.pattern)),
			rules: rules.rules.map((r) => ({ id: r.id, category: r.category, patterns: r.patterns.map(compile), exclusions: (r.exclusions ?? []).map(compile) }))
		};
		cache.set(rules, compiled);
	}
	return compiled;
}
