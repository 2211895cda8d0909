import type { LayoutServerLoad } from './$types';
import { db } from '$lib/server/db';
import { directoryLicence } from '$lib/server/opendata';

export const load: LayoutServerLoad = async ({ locals, url }) => ({
	locale: locals.locale,
	largeText: locals.largeText,
	path: url.pathname + url.search,
	signedIn: locals.actor ? { displayName: locals.actor.displayName } : null,
	// The secretariat's choice, from the public cache (emptied when it changes).
	licence: (await directoryLicence(db())).name
});
