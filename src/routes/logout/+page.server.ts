import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { logOut } from '$lib/server/auth';
import { accountIfSignedIn } from '$lib/server/auth/guard';
import { switchSession } from '$lib/server/auth/web';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.actor) redirect(303, '/');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const account = accountIfSignedIn(event);
		if (account) await logOut(account);
		// Also ends a session still waiting for its second factor.
		await switchSession(event, null);
		redirect(303, '/');
	}
};
