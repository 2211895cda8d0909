/**
 * The secretariat's review of the crisis rules (docs/triage.md, "How the secretariat reviews
 * rules"): versions are saved, never changed; each is measured on both labelled sets when it is
 * saved; one that meets the floor (held-out recall ≥ 0.95, false alarms ≤ 0.15) can be activated,
 * and an older one activated again is a roll-back. The active version is the one activated last;
 * with none, the shipped rules.json. Saves and activations are audited (`triage_rules.save`,
 * `triage_rules.activate`) with the secretariat's origin. The rows are the network's: only the
 * secretariat's context and the platform's see them (drizzle/0014).
 */
import { desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit';
import { peopleByIds } from '../../auth';
import { ok, refused, runIn, type Result, type SecretariatScope, type Tx } from '../../scope';
import { triageRuleVersions } from '../schema';
import { DEFAULT_RULES } from './index';
import { checkRules, type TriageRules } from './rules';
import { diffRules, formOf, measureRules, measuredSchema, type Measured, type RulesDiff, type RulesForm } from './review';
import { rulesActivated } from './active';

export const RULE_VERSION_ENTITY = 'triage_rule_version';
const NOTE_MAX = 2000;

export interface RuleVersionSummary {
	version: string;
	note: string | null;
	/** The rules.json this release ships (saved as a row only once someone activates it). */
	shipped: boolean;
	active: boolean;
	createdAt: Date | null;
	createdBy: string | null;
	/** The last time it was made active (a roll-back to it moves this), and by whom. */
	activatedAt: Date | null;
	activatedBy: string | null;
	measured: Measured;
}

export interface RuleVersionDetail extends RuleVersionSummary {
	rules: TriageRules;
	/** Against the active version (empty for the active one itself). */
	diff: RulesDiff;
	form: RulesForm;
}

export interface RuleVersions {
	active: RuleVersionSummary;
	/** Newest first; the shipped rules last when they were never saved as a row. */
	versions: RuleVersionSummary[];
}

type Row = typeof triageRuleVersions.$inferSelect;

// The shipped rules' figures do not change while the process runs: measured once.
let shippedMeasured: Measured | null = null;
const measuredShipped = () => (shippedMeasured ??= measureRules(DEFAULT_RULES));

/** A stored `measured`, or the figures again when it is missing or from an older shape. */
function measuredOf(row: Row): Measured {
	const stored = measuredSchema.safeParse(row.measured);
	if (stored.success) return stored.data;
	const rules = checkedRules(row);
	return rules ? measureRules(rules) : { heldout: emptyFigures(), tuning: emptyFigures(), meetsFloor: false };
}
const emptyFigures = () => ({ messages: 0, crisis: 0, ordinary: 0, caught: 0, falseAlarms: 0, recall: 0, falseAlarmRate: 0, missed: [], alarms: [] });

async function allRows(tx: Tx<'secretariat'>): Promise<Row[]> {
	return tx.select().from(triageRuleVersions).orderBy(desc(triageRuleVersions.createdAt), desc(triageRuleVersions.version));
}

const activeOf = (rows: Row[]): Row | null =>
	rows
		.filter((r) => r.activatedAt)
		.sort((a, b) => b.activatedAt!.getTime() - a.activatedAt!.getTime())
		.at(0) ?? null;

async function summaries(tx: Tx<'secretariat'>, rows: Row[]): Promise<RuleVersions> {
	const active = activeOf(rows);
	const names = await peopleByIds(tx, [...new Set(rows.flatMap((r) => [r.createdBy, r.activatedBy]).filter((id): id is string => !!id))]);
	const nameOf = (id: string | null) => (id ? (names.get(id)?.displayName ?? null) : null);
	const versions: RuleVersionSummary[] = rows.map((row) => ({
		version: row.version,
		note: row.note,
		shipped: row.version === DEFAULT_RULES.version,
		active: row.id === active?.id,
		createdAt: row.createdAt,
		createdBy: nameOf(row.createdBy),
		activatedAt: row.activatedAt,
		activatedBy: nameOf(row.activatedBy),
		measured: measuredOf(row)
	}));
	if (!rows.some((r) => r.version === DEFAULT_RULES.version)) {
		versions.push({ version: DEFAULT_RULES.version, note: null, shipped: true, active: active === null, createdAt: null, createdBy: null, activatedAt: null, activatedBy: null, measured: measuredShipped() });
	}
	return { active: versions.find((v) => v.active)!, versions };
}

function checkedRules(row: Row): TriageRules | null {
	const checked = checkRules(row.rules);
	return checked.ok ? checked.rules : null;
}

/** The active version, and every version with who saved and activated it and its figures. */
export async function listTriageRuleVersions(scope: SecretariatScope): Promise<RuleVersions> {
	return runIn(scope, async (tx) => summaries(tx, await allRows(tx)));
}

/** One version with its rules, its editing form and its difference from the active one; null when there is no such version. */
export async function triageRuleVersion(scope: SecretariatScope, version: string): Promise<RuleVersionDetail | null> {
	return runIn(scope, async (tx) => {
		const rows = await allRows(tx);
		const { versions } = await summaries(tx, rows);
		const summary = versions.find((v) => v.version === version);
		if (!summary) return null;
		const rulesOf = (v: string): TriageRules | null => {
			const row = rows.find((r) => r.version === v);
			return row ? checkedRules(row) : v === DEFAULT_RULES.version ? DEFAULT_RULES : null;
		};
		const rules = rulesOf(version);
		if (!rules) return null;
		const active = rulesOf(versions.find((v) => v.active)!.version) ?? DEFAULT_RULES;
		return { ...summary, rules, diff: diffRules(active, rules), form: formOf(rules) };
	});
}

export type SaveRefusal = 'invalid' | 'version_taken';
export interface Saved {
	version: string;
	measured: Measured;
}

/**
 * Save a new version (`triage_rules.save`): validated (refused with every problem in Japanese,
 * nothing saved), measured on both labelled sets at once, stored with its figures. Its name must
 * be new (a saved version never changes), and not the shipped version's.
 */
export async function saveTriageRuleVersion(scope: SecretariatScope, input: { rules: unknown; note?: string | null }): Promise<Result<Saved, SaveRefusal, { problems: string[] }>> {
	const checked = checkRules(input.rules);
	if (!checked.ok) return refused('invalid', { problems: checked.problems });
	const note = input.note?.trim() || null;
	if (note && note.length > NOTE_MAX) return refused('invalid', { problems: [`メモ: ${NOTE_MAX}文字までです`] });
	const rules = checked.rules;
	if (rules.version === DEFAULT_RULES.version) return refused('version_taken', { problems: [`版の名前 ${rules.version} は同梱の規則の名前です。新しい名前をつけてください`] });
	const measured = measureRules(rules);
	return runIn(scope, async (tx) => {
		const [row] = await tx.insert(triageRuleVersions).values({ version: rules.version, rules, note, measured, createdBy: scope.actor.userId }).onConflictDoNothing({ target: triageRuleVersions.version }).returning({ id: triageRuleVersions.id });
		if (!row) return refused('version_taken', { problems: [`版の名前 ${rules.version} はもう使われています。保存した版は変えられないので、新しい名前をつけてください`] });
		await recordAudit(tx, scope.origin, { action: 'triage_rules.save', entityType: RULE_VERSION_ENTITY, entityId: rules.version, changedFields: ['rules', ...(note ? ['note'] : [])] });
		return ok({ version: rules.version, measured });
	});
}

export type ActivateRefusal = 'not_found' | 'below_floor' | 'already_active' | 'invalid';
export interface Activated {
	version: string;
	measured: Measured;
	/** The version that was active before (the one to go back to). */
	previous: string;
}

/**
 * Make a version the active one (`triage_rules.activate`): measured again now, and refused with its
 * figures unless the held-out set meets the floor. Activating an older version is the roll-back;
 * activating the shipped rules saves them as a row first (`triage_rules.save`). The process's
 * cache takes the new rules once the transaction has committed, so the next message here is
 * triaged with them (other processes: within ACTIVE_RULES_TTL_MS).
 */
export async function activateTriageRuleVersion(scope: SecretariatScope, version: string): Promise<Result<Activated, ActivateRefusal, { measured?: Measured }>> {
	const result = await runIn(scope, async (tx): Promise<Result<Activated & { rules: TriageRules }, ActivateRefusal, { measured?: Measured }>> => {
		// One activation at a time (a transaction-scoped advisory lock), so "previous" is always right.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext('triage_rule_versions.activate'))`);
		const rows = await allRows(tx);
		const current = activeOf(rows);
		const previous = current?.version ?? DEFAULT_RULES.version;
		let row = rows.find((r) => r.version === version) ?? null;
		if (!row && version !== DEFAULT_RULES.version) return refused('not_found');
		if (previous === version) return refused('already_active');
		const rules = row ? checkedRules(row) : DEFAULT_RULES;
		if (!rules) return refused('invalid');
		const measured = measureRules(rules);
		if (!measured.meetsFloor) return refused('below_floor', { measured });
		if (!row) {
			[row] = await tx.insert(triageRuleVersions).values({ version, rules, note: null, measured, createdBy: scope.actor.userId }).returning();
			await recordAudit(tx, scope.origin, { action: 'triage_rules.save', entityType: RULE_VERSION_ENTITY, entityId: version, changedFields: ['rules'] });
		}
		await tx
			.update(triageRuleVersions)
			.set({ activatedAt: sql`clock_timestamp()`, activatedBy: scope.actor.userId })
			.where(eq(triageRuleVersions.id, row.id));
		await recordAudit(tx, scope.origin, { action: 'triage_rules.activate', entityType: RULE_VERSION_ENTITY, entityId: version, changedFields: ['activated_at', 'activated_by'] });
		return ok({ version, measured, previous, rules });
	});
	if (!result.ok) return result;
	const { rules, ...activated } = result.value;
	rulesActivated(rules);
	return ok(activated);
}
