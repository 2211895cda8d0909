import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { activateTriageRuleVersion, listTriageRuleVersions, rulesFromForm, saveTriageRuleVersion, triageRuleVersion, type RuleVersionSummary } from '$lib/server/consultations';
import { translate, type MessageKey } from '$lib/i18n';
import { queryOf, formOf, named } from '$lib/server/boundary';

const PERMISSION = 'network.triage';
/** A version's name as the schema allows it (anything else is no version). */
const versionName = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,99}$/);

const pageQuery = z.object({
	version: versionName.nullable().catch(null),
	saved: z.literal('1').nullable().catch(null),
	activated: z.literal('1').nullable().catch(null)
});

const iso = (d: Date | null) => d?.toISOString() ?? null;
const summary = (v: RuleVersionSummary) => ({ ...v, createdAt: iso(v.createdAt), activatedAt: iso(v.activatedAt) });

export const load: PageServerLoad = async (event) => {
	const scope = requireSecretariat(event, PERMISSION);
	const query = queryOf(pageQuery, event.url.searchParams);
	const { active, versions } = await listTriageRuleVersions(scope);
	const selected = await triageRuleVersion(scope, query.version ?? active.version);
	if (!selected) error(404, 'Not Found');
	return {
		active: summary(active),
		versions: versions.map(summary),
		selected: { ...summary(selected), diff: selected.diff, form: selected.form },
		saved: query.saved === '1',
		activated: query.activated === '1'
	};
};

/** The save form's own fields; each rule's fields are `patterns.<rule id>` and `exclusions.<rule id>`. */
const saveForm = z.object({
	base: versionName,
	version: z.string().trim().max(100),
	note: z.string().max(2000).optional().default(''),
	exclusions: z.string().max(100_000).optional().default('')
});
/** Each rule's fields, by the rule's id (1 to 100 characters on one line; another name is no rule's field). */
const ruleFields = z.object({ patterns: named('patterns.'), exclusions: named('exclusions.') });
const RULE_ID = /^.{1,100}$/;

/** What the form sent, to show it again when it is refused. */
type Posted = { version: string; note: string; exclusions: string; rules: Record<string, { patterns?: string; exclusions?: string }> };

async function save(event: RequestEvent) {
	const scope = requireSecretariat(event, PERMISSION);
	const t = (key: MessageKey) => translate(event.locals.locale, key);
	const form = await event.request.formData();
	const parsed = saveForm.safeParse(formOf(saveForm, form, { sent: true }));
	if (!parsed.success) error(400, 'Bad Request');
	const rules = new Map<string, { patterns?: string; exclusions?: string }>();
	const fields = formOf(ruleFields, form);
	for (const kind of ['patterns', 'exclusions'] as const) for (const [id, value] of fields[kind]) if (RULE_ID.test(id)) rules.set(id, { ...rules.get(id), [kind]: value });
	const posted: Posted = { version: parsed.data.version, note: parsed.data.note, exclusions: parsed.data.exclusions, rules: Object.fromEntries(rules) };
	const refuse = (problems: string[]) => fail(400, { problems, posted, heading: t('rules.problems') });
	const base = await triageRuleVersion(scope, parsed.data.base);
	if (!base) return refuse([`もとの版 ${parsed.data.base} が見つかりません`]);
	const document = rulesFromForm(base.rules, { version: parsed.data.version, exclusions: parsed.data.exclusions, rules });
	if (!document.ok) return refuse(document.problems);
	const saved = await saveTriageRuleVersion(scope, { rules: document.document, note: parsed.data.note });
	if (!saved.ok) return refuse(saved.problems);
	redirect(303, `/staff/network/triage?version=${encodeURIComponent(saved.value.version)}&saved=1`);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

async function activate(event: RequestEvent) {
	const scope = requireSecretariat(event, PERMISSION);
	const parsed = z.object({ version: versionName }).safeParse(Object.fromEntries(await event.request.formData()));
	if (!parsed.success) error(400, 'Bad Request');
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(event.locals.locale, key, params);
	const result = await activateTriageRuleVersion(scope, parsed.data.version);
	if (!result.ok) {
		if (result.reason === 'not_found') error(404, 'Not Found');
		if (result.reason === 'below_floor' && result.measured) {
			const h = result.measured.heldout;
			return fail(409, { activateError: t('rules.belowFloorNow', { recall: pct(h.recall), caught: h.caught, crisis: h.crisis, alarms: pct(h.falseAlarmRate), falseAlarms: h.falseAlarms, ordinary: h.ordinary }) });
		}
		return fail(409, { activateError: t(result.reason === 'already_active' ? 'rules.alreadyActive' : 'rules.invalidStored') });
	}
	redirect(303, `/staff/network/triage?version=${encodeURIComponent(result.value.version)}&activated=1`);
}

export const actions: Actions = { save, activate };
