import type { RequestHandler } from './$types';
import { directoryLicence, facilityListCsv } from '$lib/server/opendata';
import { db } from '$lib/server/db';
import { translatorFor } from '$lib/server/present';

/** The published places as the 公共施設一覧 CSV: always Japanese, the standard dataset's language; the licence as a link header. */
export const GET: RequestHandler = async ({ url }) => {
	const t = translatorFor('ja');
	const [body, licence] = await Promise.all([
		facilityListCsv(db(), {
			origin: url.origin,
			words: {
				programs: (titles) => (titles.length ? t('opendata.facilityDescription', { programs: titles.join('、') }) : ''),
				registeredBy: (organization) => t('opendata.facilityRegisteredBy', { organization })
			}
		}),
		directoryLicence(db())
	]);
	return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="facilities.csv"', 'cache-control': 'public, max-age=300', link: `<${licence.url.ja}>; rel="license"` } });
};
