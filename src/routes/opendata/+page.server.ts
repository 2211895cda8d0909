import type { PageServerLoad } from './$types';
import { DIRECTORY_LICENCE, exportsList } from '$lib/server/opendata';
import { OCCURRENCE_HORIZON_DAYS } from '$lib/server/events';
import { db } from '$lib/server/db';

export const load: PageServerLoad = async () => ({
	licence: DIRECTORY_LICENCE,
	horizonDays: OCCURRENCE_HORIZON_DAYS,
	// The stored bulk files: size and time of export (absent until first made).
	exports: Object.fromEntries((await exportsList(db())).map((f) => [f.name, { bytes: f.bytes, generatedAt: f.generatedAt.toISOString() }]))
});
