import type { PageServerLoad } from './$types';
import { residentScope } from '$lib/server/auth/guard';
import { publicCouncil } from '$lib/server/consent';
import { todayInTokyo } from '$lib/server/clock';
import { formatDayLong } from '$lib/server/present';
import { translator } from '$lib/i18n';

export const csr = false;

/** The network's 協議会 and its members, for anyone: people are told where their information may be exchanged. */
export const load: PageServerLoad = async (event) => {
	const t = translator(event.locals.locale);
	const council = await publicCouncil(residentScope(event));
	return { council: council ? { name: council.name, since: formatDayLong(t, todayInTokyo(council.declaredAt)), members: council.members } : null };
};
