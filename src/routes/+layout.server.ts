import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => ({
	locale: locals.locale,
	largeText: locals.largeText,
	path: url.pathname + url.search,
	signedIn: locals.actor ? { displayName: locals.actor.displayName } : null
});
