/**
 * Every HSDS answer states the directory's licence as it is now (the secretariat's choice): in a
 * page's and the root's `license` and as a `Link: rel="license"` header (RFC 4946).
 * `currentHsdsLicence` is what the API's `respondHsds` (api/respond.ts) reads for an answer; it
 * hands it to the builder of the body (./hsds.ts, ./hsds-pages.ts) and puts it in the header
 * (`hsdsHeaders`).
 */
import { translator } from '$lib/i18n';
import type { Pool } from '../db';
import type { HsdsLicence } from './hsds';
import { creditLine, directoryLicence, type DirectoryLicence } from './licence';

/** The licence as HSDS answers state it: its page, and the credit line when the licence asks for credit. */
export function hsdsLicenceOf(licence: DirectoryLicence): HsdsLicence {
	const base = { name: licence.name, identifier: licence.identifier, url: licence.url.ja };
	return licence.terms === 'public_domain' && !licence.attribution ? base : { ...base, attribution: creditLine(licence, translator('ja')('app.name')) };
}

/** The directory's licence now, as HSDS answers state it. */
export async function currentHsdsLicence(db: Pool): Promise<HsdsLicence> {
	return hsdsLicenceOf(await directoryLicence(db));
}
