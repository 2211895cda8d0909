/**
 * The audit viewers as reads in the reader's scope: the whole network's log for the secretariat,
 * one organisation's for its admins (and the secretariat acting there). The log itself is audit's
 * (a platform service, which names no module's tables); the names beside its ids come from the
 * modules that own them — people from auth, organisations from directory — asked here, in the
 * reader's transaction, so row-level security decides which names show, as it did when the log
 * query joined their tables. A CSV download is recorded (`audit.export`) by audit in the same
 * transaction.
 */
import type { Db } from '../db';
import { auditCsvResponse, auditPageData, type AuditNamer, type AuditPageData, type ParsedAuditQuery } from '../audit';
import { peopleByIds } from '../auth';
import { organizationNames } from '../directory';
import { runIn, type OrganizationScope, type SecretariatScope } from '../scope';
import type { Locale } from '../../i18n';

/** Names for the ids on a page of the log, read in `tx` (the reader's context). */
export function auditNames(tx: Db): AuditNamer {
	return async (ids) => {
		const people = await peopleByIds(tx, ids.people);
		return { people: new Map([...people].map(([id, person]) => [id, person.displayName])), organizations: await organizationNames(tx, ids.organizations) };
	};
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
	return runIn(scope, async (tx) => {
		const name = (await organizationNames(tx, [organizationId])).get(organizationId);
		if (name === undefined) return null;
		const view = await auditPageData(tx, input.query, input.locale, organizationLog(organizationId), auditNames(tx));
		return { organization: { id: organizationId, name }, ...view };
	});
}

/** The scope's organisation's log as CSV (the page's filters), the download recorded; null when there is no such organisation. */
export async function organizationAuditCsv(scope: OrganizationScope, input: AuditViewInput & { now?: Date }): Promise<Response | null> {
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		if (!(await organizationNames(tx, [organizationId])).has(organizationId)) return null;
		return auditCsvResponse(tx, scope.origin, input.query, input.locale, organizationLog(organizationId), auditNames(tx), input.now);
	});
}
