import type { LayoutServerLoad } from './$types';
import { DIRECTORY_LICENCE } from '$lib/server/opendata';

export const load: LayoutServerLoad = ({ locals, url }) => ({
	locale: locals.locale,
	largeText: locals.largeText,
	path: url.pathname + url.search,
	signedIn: locals.actor ? { displayName: locals.actor.displayName } : null,
	licence: DIRECTORY_LICENCE.name
});
