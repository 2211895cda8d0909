import { taxonomy } from '$lib/server/directory';
import type { PageServerLoad } from './$types';

export const csr = false;

export const load: PageServerLoad = ({ locals }) => ({
	lifeStages: taxonomy.lifeStages.map((s) => ({ code: s.code, label: s[locals.locale] }))
});
