import { error } from '@sveltejs/kit';
import { dev } from '$app/environment';
import type { PageServerLoad } from './$types';
import { readOutbox } from '$lib/server/mail';

/**
 * The local outbox, for development only (`vite dev`, or OUTBOX_PAGE=on on a machine nobody else
 * reaches): it shows invitation and reset links, so it must never be on in production.
 */
export const load: PageServerLoad = () => {
	if (!(dev || process.env.OUTBOX_PAGE === 'on') || process.env.SMTP_URL) error(404, 'Not Found');
	return { messages: readOutbox(30) };
};
