/**
 * Crisis triage: runs on every incoming message (web, LINE, staff-entered) and says whether a
 * counsellor must see it first and the person must be shown the hotlines at once. Rules are data
 * (rules.json, validated by parseRules); what they cover and how they were measured is in
 * docs/triage.md.
 */
import rulesJson from './rules.json';
import { normalizeMessage } from './normalize';
import { CRISIS_CATEGORIES, compileRules, parseRules, type CrisisCategory, type TriageRules } from './rules';

export { CRISIS_CATEGORIES, parseRules, rulesSchema, type CrisisCategory, type TriageRules, type TriageRule } from './rules';
export { normalizeMessage } from './normalize';

export interface TriageMatch {
	ruleId: string;
	category: CrisisCategory;
}

export interface TriageResult {
	urgent: boolean;
	/** Distinct categories, danger first (CRISIS_CATEGORIES order). */
	categories: CrisisCategory[];
	/** One entry per rule that matched, in rule order. */
	matches: TriageMatch[];
	rulesVersion: string;
}

/** The committed, reviewed rules. */
export const DEFAULT_RULES: TriageRules = parseRules(rulesJson);

const PREFILTER_MAX_LENGTH = 500;

type Span = [number, number];

// RegExp.exec with lastIndex rather than String.matchAll: matchAll clones the expression on every call,
// which made triage several times slower.
function* matchesOf(re: RegExp, text: string): Generator<Span> {
	re.lastIndex = 0;
	for (let m = re.exec(text); m; m = re.exec(text)) {
		yield [m.index, m.index + m[0].length];
		if (m[0].length === 0) re.lastIndex++;
	}
}

function spansOf(patterns: RegExp[], text: string): Span[] {
	const spans: Span[] = [];
	for (const re of patterns) for (const span of matchesOf(re, text)) spans.push(span);
	return spans;
}

const overlaps = (spans: Span[], start: number, end: number) => spans.some(([s, e]) => start < e && s < end);

export function triage(text: string, rules: TriageRules = DEFAULT_RULES): TriageResult {
	const compiled = compileRules(rules);
	const normalized = normalizeMessage(text);
	// One combined test answers most short messages at once; on a long text the combined expression
	// is slower than the patterns one by one (measured: 670 against 380 µs on 5,000 characters), so it is skipped there.
	if (normalized.length <= PREFILTER_MAX_LENGTH && !compiled.any.test(normalized)) return { urgent: false, categories: [], matches: [], rulesVersion: compiled.version };
	// Exclusion spans are found only once some pattern has matched: most messages match nothing.
	let globalSpans: Span[] | null = null;
	const matches: TriageMatch[] = [];
	for (const rule of compiled.rules) {
		let ruleSpans: Span[] | null = null;
		const hit = rule.patterns.some((re) => {
			for (const [start, end] of matchesOf(re, normalized)) {
				globalSpans ??= spansOf(compiled.exclusions, normalized);
				ruleSpans ??= spansOf(rule.exclusions, normalized);
				if (!overlaps(globalSpans, start, end) && !overlaps(ruleSpans, start, end)) return true;
			}
			return false;
		});
		if (hit) matches.push({ ruleId: rule.id, category: rule.category });
	}
	const found = new Set(matches.map((m) => m.category));
	const categories = CRISIS_CATEGORIES.filter((c) => found.has(c));
	return { urgent: matches.length > 0, categories, matches, rulesVersion: compiled.version };
}
