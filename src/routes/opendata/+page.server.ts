import type { PageServerLoad } from './$types';
import { DIRECTORY_LICENCE } from '$lib/server/opendata';
import { OCCURRENCE_HORIZON_DAYS } from '$lib/server/events';

export const load: PageServerLoad = () => ({ licence: DIRECTORY_LICENCE, horizonDays: OCCURRENCE_HORIZON_DAYS });
