/**
 * The rules every incoming message is triaged with: the version the secretariat activated last
 * (`triage_rule_versions`), or the shipped rules.json when none was. Triage runs on every message,
 * so the active rules are kept in the process and the database is asked at most once per
 * `ACTIVE_RULES_TTL_MS` per process, never per message:
 *
 * - an activation in this process replaces the cached rules when its transaction commits, so the
 *   next message in this process uses the new version (`rulesActivated`);
 * - another process (a second server) sees it within the TTL (30 s), when its cache expires and it
 *   reads the active row again, in the platform's context;
 * - a failed read keeps the rules it had and tries again after a few seconds; a stored version that
 *   no longer validates (a newer schema) falls back to the shipped rules, logged.
 */
import { desc, isNotNull } from 'drizzle-orm';
import { db, type Pool } from '../../db';
import { log } from '../../log';
import { runIn, systemScope } from '../../scope';
import { triageRuleVersions } from '../schema';
import { DEFAULT_RULES, triage, type TriageResult } from './index';
import { checkRules, type TriageRules } from './rules';

export const ACTIVE_RULES_TTL_MS = 30_000;
const RETRY_MS = 3_000;

interface Cached {
	rules: TriageRules;
	/** Date.now() after which the database is asked again. */
	freshUntil: number;
	/** A read under way, shared by every message that arrives meanwhile. */
	loading: Promise<TriageRules> | null;
	/** Bumped by each activation here: a read that began before it must not put the old version back. */
	generation: number;
}

// Per database (a test process may open several): the process's database is `db()`.
const caches = new WeakMap<Pool, Cached>();

function cacheFor(pool: Pool): Cached {
	let cached = caches.get(pool);
	if (!cached) {
		cached = { rules: DEFAULT_RULES, freshUntil: 0, loading: null, generation: 0 };
		caches.set(pool, cached);
	}
	return cached;
}

/** The active version as stored, or the shipped rules when none was activated. */
async function readActive(pool: Pool): Promise<TriageRules> {
	const [row] = await runIn(systemScope(pool, 'triage.active_rules'), (tx) => tx.select({ version: triageRuleVersions.version, rules: triageRuleVersions.rules }).from(triageRuleVersions).where(isNotNull(triageRuleVersions.activatedAt)).orderBy(desc(triageRuleVersions.activatedAt)).limit(1));
	if (!row) return DEFAULT_RULES;
	const checked = checkRules(row.rules);
	if (checked.ok) return checked.rules;
	log.error('triage.active_rules_invalid', { version: row.version, problems: checked.problems.slice(0, 5) });
	return DEFAULT_RULES;
}

/** The rules to triage with now (cached; see the head of this file). */
export function activeRules(): TriageRules | Promise<TriageRules> {
	const pool = db();
	const cached = cacheFor(pool);
	if (Date.now() < cached.freshUntil) return cached.rules;
	if (!cached.loading) {
		const generation = cached.generation;
		cached.loading = readActive(pool)
			.then((rules) => {
				if (cached.generation === generation) {
					cached.rules = rules;
					cached.freshUntil = Date.now() + ACTIVE_RULES_TTL_MS;
				}
				return cached.rules;
			})
			.catch((error: unknown) => {
				log.error('triage.active_rules_unreadable', { error: String(error) });
				cached.freshUntil = Date.now() + RETRY_MS;
				return cached.rules;
			})
			.finally(() => {
				cached.loading = null;
			});
	}
	return cached.loading;
}

/** Triage with the active rules: what every incoming message (web, API, LINE, staff entry) goes through. */
export async function activeTriage(text: string): Promise<TriageResult> {
	return triage(text, await activeRules());
}

/** An activation in this process has committed: the next message here uses `rules`. */
export function rulesActivated(rules: TriageRules): void {
	const cached = cacheFor(db());
	cached.generation++;
	cached.rules = rules;
	cached.freshUntil = Date.now() + ACTIVE_RULES_TTL_MS;
}
