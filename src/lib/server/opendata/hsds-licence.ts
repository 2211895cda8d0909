/**
 * Every HSDS answer states the directory's licence as it is now (the secretariat's choice): in a
 * page's and the root's `license` and as a `Link: rel="license"` header (RFC 4946). The readers in
 * ./hsds.ts build bodies with the default; this puts the current licence in at the edge.
 */
import { json } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import type { Db } from '../db';
import { hsdsHeaders, type HsdsLicence } from './hsds';
import { creditLine, directoryLicence, type DirectoryLicence } from './licence';

/** The licence as HSDS answers state it: its page, and the credit line when the licence asks for credit. */
export function hsdsLicenceOf(licence: DirectoryLicence): HsdsLicence {
	const base = { name: licence.name, identifier: licence.identifier, url: licence.url.ja };
	return licence.terms === 'public_domain' && !licence.attribution ? base : { ...base, attribution: creditLine(licence, translator('ja')('app.name')) };
}

/** The body with its `license` (a page's, the root's) replaced by the current licence; other bodies as they are. */
export function withLicence<T>(body: T, licence: HsdsLicence): T {
	return body && typeof body === 'object' && 'license' in body ? { ...body, license: licence } : body;
}

/** An HSDS JSON answer: public, cacheable, the current licence in the body and the Link header. */
export async function hsdsJson(db: Pick<Db, 'select'>, body: unknown): Promise<Response> {
	const licence = hsdsLicenceOf(await directoryLicence(db));
	return json(withLicence(body, licence), { headers: hsdsHeaders(licence) });
}
