import type { PageServerLoad } from './$types';

// The organisations and roles come from the layout.
export const load: PageServerLoad = () => ({});
