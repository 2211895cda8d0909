/**
 * The audit viewers as reads in the reader's scope: the whole network's log for the secretariat,
 * one organisation's for its admins (and the secretariat acting there). The log itself is audit's
 * (a platform service, which names no module's tables); the names beside its ids come from the
 * modules that own them — people from auth, organisations from directory — asked here, in the
 * reader's transaction, so row-level security decides which names show, as it did when the log
 * query joined their tables. A CSV download is recorded (`audit.export`) by audit in the same
 * transaction.
 */
import type { Tx } from '../db';
import { auditCsvResponse, auditPageData, type AuditNamer, type AuditPageData, type ParsedAuditQuery } from '../audit';
import { peopleByIds } from '../auth';
import { organizationNames } from '../directory';
import { runIn, systemScopeBeside, type OrganizationScope, type SecretariatScope } from '../scope';
import { secretariatUserIds } from './members';
import { translate, type Locale } from '../../i18n';

/**
 * Names for the ids on a page of the log, read in `tx` (the reader's context); `beside` names people
 * the reader's context cannot see but may know by name (the secretariat's, in an organisation's log).
 */
export function auditNames(tx: Tx, beside: ReadonlyMap<string, string> = new Map()): AuditNamer {
	return async (ids) => {
		const people = new Map([...(await peopleByIds(tx, ids.people))].map(([id, person]) => [id, person.displayName]));
		for (const id of ids.people) if (!people.has(id) && beside.has(id)) people.set(id, beside.get(id)!);
		return { people, organizations: await organizationNames(tx, ids.organizations) };
	};
}

/**
 * The secretariat's people (secretariat_admin anywhere), named as the secretariat: an organisation's
 * admins may know who at the secretariat acted on their data, though those people are not members.
 */
async function secretariatNames(scope: OrganizationScope, locale: Locale): Promise<Map<string, string>> {
	return runIn(systemScopeBeside(scope, 'audit.secretariat_names'), async (tx) => {
		const ids = [...new Set(await secretariatUserIds(tx))];
		const people = await peopleByIds(tx, ids);
		return new Map([...people].map(([id, person]) => [id, translate(locale, 'audit.secretariatActor', { name: person.displayName })]));
	});
}

/** The query string, parsed (`parseAuditQuery`), and the reader's language. */
export interface AuditViewInput {
	query: ParsedAuditQuery;
	locale: Locale;
}

const NETWORK_LOG = { organizationId: null, basePath: '/staff/network/audit' };
const organizationLog = (organizationId: string) => ({ organizationId, basePath: `/staff/orgs/${organizationId}/audit` });

/** The network's log, every organisation's events and the organisation-less ones. */
export async function networkAuditPage(scope: SecretariatScope, input: AuditViewInput): Promise<AuditPageData> {
	return runIn(scope, (tx) => auditPageData(tx, input.query, input.locale, NETWORK_LOG, auditNames(tx)));
}

/** The network's log as CSV (the page's filters); the download is recorded. */
export async function networkAuditCsv(scope: SecretariatScope, input: AuditViewInput & { now?: Date }): Promise<Response> {
	return runIn(scope, (tx) => auditCsvResponse(tx, scope.origin, input.query, input.locale, NETWORK_LOG, auditNames(tx), input.now));
}

export type OrganizationAuditPage = AuditPageData & { organization: { id: string; name: string } };

/** The scope's organisation's log; null when there is no such organisation. */
export async function organizationAuditPage(scope: OrganizationScope, input: AuditViewInput): Promise<OrganizationAuditPage | null> {
	const { organizationId } = scope;
	const secretariat = await secretariatNames(scope, input.locale);
	return runIn(scope, async (tx) => {
		const name = (await organizationNames(tx, [organizationId])).get(organizationId);
		if (name === undefined) return null;
		const view = await auditPageData(tx, input.query, input.locale, organizationLog(organizationId), auditNames(tx, secretariat));
		return { organization: { id: organizationId, name }, ...view };
	});
}

/** The scope's organisation's log as CSV (the page's filters), the download recorded; null when there is no such organisation. */
export async function organizationAuditCsv(scope: OrganizationScope, input: AuditViewInput & { now?: Date }): Promise<Response | null> {
	const { organizationId } = scope;
	const secretariat = await secretariatNames(scope, input.locale);
	return runIn(scope, async (tx) => {
		if (!(await organizationNames(tx, [organizationId])).has(organizationId)) return null;
		return auditCsvResponse(tx, scope.origin, input.query, input.locale, organizationLog(organizationId), auditNames(tx, secretariat), input.now);
	});
}
