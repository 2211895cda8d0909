/**
 * The licence of the published directory. CC BY 4.0 by default, so a city's open-data portal can
 * catalogue it and anyone may reuse it with credit; the secretariat may choose another open
 * licence (OPEN_LICENCES) and the credit line reusers are asked to give. Stated on /opendata, on
 * the site's footer, in the /api/v1 and HSDS answers, the OpenAPI document and the downloads.
 *
 * The choice is one row of `opendata_settings` (drizzle/0021): anyone reads it, only the
 * secretariat (or the platform) writes it, and a change fires the public-change notification, so
 * the per-process cache below and the cached public pages are emptied everywhere at once.
 */
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { Reader } from '../db';
import { can } from '../auth';
import { recordAudit } from '../audit';
import { cachedPublic } from '../cache';
import { ok, refused, runIn, type Result, type SecretariatScope } from '../scope';
import { opendataSettings, OPEN_LICENCES, type OpenLicenceId } from './schema';

/** What a reuser must do: credit; credit and share alike; nothing (public domain). */
export type LicenceTerms = 'attribution' | 'share_alike' | 'public_domain';

export interface LicenceInfo {
	/** SPDX identifier. */
	identifier: OpenLicenceId;
	/** The short name people write, e.g. CC BY 4.0. */
	name: string;
	title: { ja: string; en: string };
	/** The licence's own page (Creative Commons has a Japanese deed; Open Data Commons has none). */
	url: { ja: string; en: string };
	terms: LicenceTerms;
}

/** Each licence the secretariat may choose, with its official names and pages. */
export const LICENCES: Record<OpenLicenceId, LicenceInfo> = {
	'CC-BY-4.0': {
		identifier: 'CC-BY-4.0',
		name: 'CC BY 4.0',
		title: { ja: 'クリエイティブ・コモンズ 表示 4.0 国際', en: 'Creative Commons Attribution 4.0 International' },
		url: { ja: 'https://creativecommons.org/licenses/by/4.0/deed.ja', en: 'https://creativecommons.org/licenses/by/4.0/' },
		terms: 'attribution'
	},
	'CC0-1.0': {
		identifier: 'CC0-1.0',
		name: 'CC0 1.0',
		title: { ja: 'CC0 1.0 全世界 パブリック・ドメイン提供', en: 'CC0 1.0 Universal Public Domain Dedication' },
		url: { ja: 'https://creativecommons.org/publicdomain/zero/1.0/deed.ja', en: 'https://creativecommons.org/publicdomain/zero/1.0/' },
		terms: 'public_domain'
	},
	'CC-BY-SA-4.0': {
		identifier: 'CC-BY-SA-4.0',
		name: 'CC BY-SA 4.0',
		title: { ja: 'クリエイティブ・コモンズ 表示 - 継承 4.0 国際', en: 'Creative Commons Attribution-ShareAlike 4.0 International' },
		url: { ja: 'https://creativecommons.org/licenses/by-sa/4.0/deed.ja', en: 'https://creativecommons.org/licenses/by-sa/4.0/' },
		terms: 'share_alike'
	},
	'ODC-By-1.0': {
		identifier: 'ODC-By-1.0',
		name: 'ODC-By 1.0',
		title: { ja: 'Open Data Commons 表示ライセンス 1.0', en: 'Open Data Commons Attribution License v1.0' },
		url: { ja: 'https://opendatacommons.org/licenses/by/1-0/', en: 'https://opendatacommons.org/licenses/by/1-0/' },
		terms: 'attribution'
	},
	'PDDL-1.0': {
		identifier: 'PDDL-1.0',
		name: 'PDDL 1.0',
		title: { ja: 'Open Data Commons パブリック・ドメイン提供およびライセンス 1.0', en: 'Open Data Commons Public Domain Dedication and License v1.0' },
		url: { ja: 'https://opendatacommons.org/licenses/pddl/1-0/', en: 'https://opendatacommons.org/licenses/pddl/1-0/' },
		terms: 'public_domain'
	}
};

export const DEFAULT_LICENCE: OpenLicenceId = 'CC-BY-4.0';

/** The default licence (CC BY 4.0) as a constant, for callers that state it without a database. */
export const DIRECTORY_LICENCE = {
	name: LICENCES[DEFAULT_LICENCE].name,
	title: LICENCES[DEFAULT_LICENCE].title.ja,
	url: LICENCES[DEFAULT_LICENCE].url.ja,
	identifier: DEFAULT_LICENCE
} as const;

/** The directory's licence now: the chosen licence, the secretariat's credit line, when it was chosen. */
export interface DirectoryLicence extends LicenceInfo {
	/** The credit line the secretariat set; null: the site's name (see `creditLine`). */
	attribution: string | null;
	/** When the secretariat last changed it; null while the default was never changed. */
	updatedAt: Date | null;
}

/** The credit a reuser gives: the secretariat's line, or the site's name. */
export function creditLine(licence: Pick<DirectoryLicence, 'attribution'>, siteName: string): string {
	return licence.attribution ?? siteName;
}

/** The licence as one language states it (name, title, page). */
export function licenceIn(licence: LicenceInfo, locale: 'ja' | 'en'): { identifier: OpenLicenceId; name: string; title: string; url: string } {
	return { identifier: licence.identifier, name: licence.name, title: licence.title[locale], url: licence.url[locale] };
}

async function readLicence(db: Reader): Promise<DirectoryLicence> {
	const [row] = await db.select({ licence: opendataSettings.licence, attribution: opendataSettings.attribution, updatedAt: opendataSettings.updatedAt }).from(opendataSettings);
	const chosen = row && row.licence in LICENCES ? row.licence : DEFAULT_LICENCE;
	return { ...LICENCES[chosen], attribution: row?.attribution ?? null, updatedAt: row?.updatedAt ?? null };
}

/**
 * The directory's licence now (CC BY 4.0 while the secretariat has chosen none). Every page's
 * footer states it, so it is kept in the public cache, which every process empties when the row
 * changes. For any reader: the row is public.
 */
export function directoryLicence(db: Reader): Promise<DirectoryLicence> {
	return cachedPublic('opendata:licence', () => readLicence(db));
}

export const LICENCE_ATTRIBUTION_MAX = 200;

/** The secretariat's form: a licence among OPEN_LICENCES, an optional one-line credit (empty: the site's name). */
export const licenceSettingsInput = z.object({
	licence: z.enum(OPEN_LICENCES, 'licence.error.licence'),
	attribution: z
		.string('licence.error.attribution')
		.trim()
		.max(LICENCE_ATTRIBUTION_MAX, 'licence.error.attribution')
		.regex(/^[^\p{Cc}]*$/u, 'licence.error.attribution')
		.transform((v) => (v === '' ? null : v))
});
export type LicenceSettingsInput = z.input<typeof licenceSettingsInput>;

export type LicenceRefusal = 'forbidden';

/** Only a secretariat scope the guard made for `network.opendata`. */
const allowed = (scope: SecretariatScope) => scope.permission === 'network.opendata' && scope.actor.secretariat && can(scope.actor, scope.permission);

/** The secretariat's page: the licence now and every licence it may choose. */
export async function licenceSettings(scope: SecretariatScope): Promise<Result<{ current: DirectoryLicence; choices: LicenceInfo[] }, LicenceRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	const current = await runIn(scope, (tx) => readLicence(tx));
	return ok({ current, choices: OPEN_LICENCES.map((id) => LICENCES[id]) });
}

/**
 * Choose the directory's licence and credit line (`opendata.licence`, audited with the names of
 * the fields that changed, as the transaction's last write). Input that does not parse is a bug
 * of the caller: the route parses with `licenceSettingsInput` first.
 */
export async function setDirectoryLicence(scope: SecretariatScope, input: LicenceSettingsInput): Promise<Result<DirectoryLicence, LicenceRefusal>> {
	if (!allowed(scope)) return refused('forbidden');
	const { licence, attribution } = licenceSettingsInput.parse(input);
	return runIn(scope, async (tx) => {
		// The one row, locked: two secretariat admins saving at once save one after the other.
		const [before] = await tx.select({ licence: opendataSettings.licence, attribution: opendataSettings.attribution }).from(opendataSettings).for('update');
		const values = { licence, attribution, updatedAt: new Date(), updatedBy: scope.actor.userId };
		if (before) await tx.update(opendataSettings).set(values).where(eq(opendataSettings.id, true));
		else await tx.insert(opendataSettings).values({ id: true, ...values });
		const changed = [...((before?.licence ?? DEFAULT_LICENCE) !== licence ? ['licence'] : []), ...((before?.attribution ?? null) !== attribution ? ['attribution'] : [])];
		await recordAudit(tx, scope.origin, { action: 'opendata.licence', entityType: 'opendata_settings', entityId: licence, changedFields: changed });
		return ok({ ...LICENCES[licence], attribution, updatedAt: values.updatedAt });
	});
}
