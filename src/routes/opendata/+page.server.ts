import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { creditLine, directoryLicence, exportsList, licenceIn } from '$lib/server/opendata';
import { OCCURRENCE_HORIZON_DAYS } from '$lib/server/events';
import { translator } from '$lib/i18n';

export const load: PageServerLoad = async ({ locals }) => {
	const licence = await directoryLicence(db());
	return {
		licence: { ...licenceIn(licence, locals.locale), terms: licence.terms, credit: creditLine(licence, translator(locals.locale)('app.name')) },
		horizonDays: OCCURRENCE_HORIZON_DAYS,
		// The stored bulk files: size and time of export (absent until first made).
		exports: Object.fromEntries((await exportsList(db())).map((f) => [f.name, { bytes: f.bytes, generatedAt: f.generatedAt.toISOString() }]))
	};
};
