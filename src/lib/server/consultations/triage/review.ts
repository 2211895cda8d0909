/**
 * What the secretariat's review of a rules version needs, without the database: the figures on
 * both labelled sets and the floor a version must meet to be activated, the difference between two
 * versions (terms added and removed per category and per exclusion list), and the editing form
 * (one term per line) turned back into a rules document. docs/triage.md, "How the secretariat
 * reviews rules".
 */
import { z } from 'zod';
import { CRISIS_CATEGORIES, type CrisisCategory, type TriageRules } from './rules';
import { HELDOUT, TUNING, measure, type Measurement } from './measure';

/** The floor for activation, on the held-out set (the one no rule was tuned on). */
export const FLOOR = { recall: 0.95, falseAlarmRate: 0.15 } as const;

const setFiguresSchema = z.object({
	messages: z.number(),
	crisis: z.number(),
	ordinary: z.number(),
	caught: z.number(),
	falseAlarms: z.number(),
	recall: z.number(),
	falseAlarmRate: z.number(),
	/** Crisis messages not marked urgent. */
	missed: z.array(z.string()),
	/** Ordinary messages marked urgent, with the rules that fired. */
	alarms: z.array(z.object({ text: z.string(), ruleIds: z.array(z.string()) }))
});
export type SetFigures = z.infer<typeof setFiguresSchema>;

/** What `measured` (jsonb) holds for a saved version. */
export const measuredSchema = z.object({ heldout: setFiguresSchema, tuning: setFiguresSchema, meetsFloor: z.boolean() });
export type Measured = z.infer<typeof measuredSchema>;

function figuresOf(m: Measurement): SetFigures {
	return {
		messages: m.messages,
		crisis: m.crisis,
		ordinary: m.ordinary,
		caught: m.caught,
		falseAlarms: m.falseAlarms,
		recall: m.recall,
		falseAlarmRate: m.falseAlarmRate,
		missed: m.missed.map((i) => i.text),
		alarms: m.alarms.map((a) => ({ text: a.item.text, ruleIds: a.result.matches.map((x) => x.ruleId) }))
	};
}

export const meetsFloor = (heldout: Pick<SetFigures, 'recall' | 'falseAlarmRate'>): boolean => heldout.recall >= FLOOR.recall && heldout.falseAlarmRate <= FLOOR.falseAlarmRate;

/** Recall and false alarms of `rules` on the held-out and the tuning set, with the misclassified messages. */
export function measureRules(rules: TriageRules): Measured {
	const heldout = figuresOf(measure(HELDOUT, rules));
	const tuning = figuresOf(measure(TUNING, rules));
	return { heldout, tuning, meetsFloor: meetsFloor(heldout) };
}

export interface TermsChange {
	added: string[];
	removed: string[];
}

export interface RulesDiff {
	/** Terms (patterns) per category, over all the category's rules. */
	categories: Array<{ category: CrisisCategory } & TermsChange>;
	/** The global exclusions (`id: pattern`). */
	exclusions: TermsChange;
	/** Each rule's own exclusions, for the rules where they changed. */
	ruleExclusions: Array<{ ruleId: string } & TermsChange>;
	rulesAdded: string[];
	rulesRemoved: string[];
	/** Nothing above changed. */
	same: boolean;
}

function change(before: Iterable<string>, after: Iterable<string>): TermsChange {
	const a = new Set(before);
	const b = new Set(after);
	return { added: [...b].filter((x) => !a.has(x)), removed: [...a].filter((x) => !b.has(x)) };
}
const changed = (c: TermsChange) => c.added.length > 0 || c.removed.length > 0;

/** What `to` changes against `from`. */
export function diffRules(from: TriageRules, to: TriageRules): RulesDiff {
	const categories = CRISIS_CATEGORIES.map((category) => {
		const terms = (rules: TriageRules) => rules.rules.filter((r) => r.category === category).flatMap((r) => r.patterns);
		return { category, ...change(terms(from), terms(to)) };
	}).filter(changed);
	const exclusions = change(
		from.exclusions.map((e) => `${e.id}: ${e.pattern}`),
		to.exclusions.map((e) => `${e.id}: ${e.pattern}`)
	);
	const fromRules = new Map(from.rules.map((r) => [r.id, r]));
	const toRules = new Map(to.rules.map((r) => [r.id, r]));
	const ruleExclusions = [...new Set([...fromRules.keys(), ...toRules.keys()])].map((ruleId) => ({ ruleId, ...change(fromRules.get(ruleId)?.exclusions ?? [], toRules.get(ruleId)?.exclusions ?? []) })).filter(changed);
	const rulesAdded = [...toRules.keys()].filter((id) => !fromRules.has(id));
	const rulesRemoved = [...fromRules.keys()].filter((id) => !toRules.has(id));
	return { categories, exclusions, ruleExclusions, rulesAdded, rulesRemoved, same: categories.length === 0 && !changed(exclusions) && ruleExclusions.length === 0 && rulesAdded.length === 0 && rulesRemoved.length === 0 };
}

/** The editing form of a rules document: one term per line. */
export interface RulesForm {
	/** Global exclusions, one per line as `id: pattern`. */
	exclusions: string;
	/** Per rule, in document order: its terms and its own exclusions, one per line. */
	rules: Array<{ id: string; category: CrisisCategory; note: string | null; patterns: string; exclusions: string }>;
}

export function formOf(rules: TriageRules): RulesForm {
	return {
		exclusions: rules.exclusions.map((e) => `${e.id}: ${e.pattern}`).join('\n'),
		rules: rules.rules.map((r) => ({ id: r.id, category: r.category, note: r.note ?? null, patterns: r.patterns.join('\n'), exclusions: (r.exclusions ?? []).join('\n') }))
	};
}

const lines = (text: string) =>
	text
		.split(/\r\n|\r|\n/)
		.map((l) => l.trim())
		.filter((l) => l.length > 0);

const EXCLUSION_LINE = /^([a-z_]+\.[a-z0-9-]+)\s*:\s*(.+)$/;

/** What the form posted: the new version's name, the global exclusions' text, and each rule's two fields by rule id. */
export interface PostedRules {
	version: string;
	exclusions: string;
	rules: Map<string, { patterns?: string; exclusions?: string }>;
}

/**
 * The posted form on top of `base` (the version the form was opened from): every rule's terms and
 * exclusions are replaced by its fields, notes and the description are kept. The answer is a
 * document still to be validated (`checkRules`), or the problems of the form itself (a rule the
 * base does not have, a field missing, an exclusion line not written `id: pattern`).
 */
export function rulesFromForm(base: TriageRules, posted: PostedRules): { ok: true; document: unknown } | { ok: false; problems: string[] } {
	const problems: string[] = [];
	const known = new Set(base.rules.map((r) => r.id));
	for (const id of posted.rules.keys()) if (!known.has(id)) problems.push(`規則 ${id}: もとの版にない規則です`);
	const notes = new Map(base.exclusions.map((e) => [e.id, e.note]));
	const exclusions = lines(posted.exclusions).map((line, i) => {
		const m = EXCLUSION_LINE.exec(line);
		if (!m) {
			problems.push(`全体の除外 ${i + 1}行目: 「id: パターン」の形で書いてください（例 negation.not-that: 死にたいわけじゃない）: ${line}`);
			return null;
		}
		const note = notes.get(m[1]);
		return { id: m[1], pattern: m[2], ...(note ? { note } : {}) };
	});
	const rules = base.rules.map((rule) => {
		const fields = posted.rules.get(rule.id);
		if (fields?.patterns === undefined) {
			problems.push(`規則 ${rule.id}: 語の欄がありません`);
			return rule;
		}
		const ruleExclusions = lines(fields.exclusions ?? '');
		return { id: rule.id, category: rule.category, patterns: lines(fields.patterns), ...(ruleExclusions.length > 0 ? { exclusions: ruleExclusions } : {}), ...(rule.note ? { note: rule.note } : {}) };
	});
	if (problems.length > 0) return { ok: false, problems };
	return { ok: true, document: { ...base, version: posted.version, exclusions, rules } };
}
