import type { RequestHandler } from './$types';
import { directoryLicence, eventListCsv } from '$lib/server/opendata';
import { db } from '$lib/server/db';
import { todayInTokyo } from '$lib/server/clock';
import { costInWords, joinInWords, translatorFor } from '$lib/server/present';

/** The region's dates as the イベント一覧 CSV: always Japanese, the standard dataset's language; the licence as a link header (the format has no place for it). */
export const GET: RequestHandler = async ({ url }) => {
	const t = translatorFor('ja');
	const body = await eventListCsv(db(), {
		today: todayInTokyo(),
		origin: url.origin,
		words: {
			cost: (p) => costInWords(t, p.costKind, p.costAmountYen),
			join: (p) => joinInWords(t, p.joinMethod),
			moved: t('opendata.moved'),
			capacity: (count, unit) => t(unit === 'groups' ? 'opendata.capacityGroups' : 'opendata.capacityPeople', { count }),
			registration: t('opendata.registration')
		}
	});
	const licence = await directoryLicence(db());
	return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="event-list.csv"', 'cache-control': 'public, max-age=300', link: `<${licence.url.ja}>; rel="license"` } });
};
