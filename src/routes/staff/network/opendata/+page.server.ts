import { z } from 'zod';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireSecretariat } from '$lib/server/auth/guard';
import { licenceSettings, licenceSettingsInput, setDirectoryLicence, LICENCE_ATTRIBUTION_MAX } from '$lib/server/opendata';
import { todayInTokyo } from '$lib/server/clock';
import { formatDayLong } from '$lib/server/present';
import { translator, type MessageKey } from '$lib/i18n';
import { queryOf, notice, formOf } from '$lib/server/boundary';

const PERMISSION = 'network.opendata';

/** `?saved=1` after saving the licence; anything else shows no notice. */
const pageQuery = z.object({ saved: notice(['1']) });

/** The directory's open-data licence and credit line (the secretariat only). */
export const load: PageServerLoad = async (event) => {
	const scope = requireSecretariat(event, PERMISSION);
	const settings = await licenceSettings(scope);
	if (!settings.ok) error(403, 'Forbidden');
	const t = translator(event.locals.locale);
	const { current, choices } = settings.value;
	return {
		current: { identifier: current.identifier, name: current.name, title: current.title[event.locals.locale], attribution: current.attribution, since: current.updatedAt ? formatDayLong(t, todayInTokyo(current.updatedAt)) : null },
		choices: choices.map((c) => ({ identifier: c.identifier, name: c.name, title: c.title[event.locals.locale], url: c.url[event.locals.locale], terms: c.terms })),
		saved: queryOf(pageQuery, event.url.searchParams).saved === '1',
		max: LICENCE_ATTRIBUTION_MAX
	};
};

export const actions: Actions = {
	save: async (event) => {
		const scope = requireSecretariat(event, PERMISSION);
		const form = await event.request.formData();
		const values = formOf(licenceSettingsInput, form);
		const parsed = licenceSettingsInput.safeParse(values);
		if (!parsed.success) {
			const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message as MessageKey]));
			return fail(400, { values, errors });
		}
		const result = await setDirectoryLicence(scope, { ...values, licence: parsed.data.licence });
		if (!result.ok) error(403, 'Forbidden');
		redirect(303, '/staff/network/opendata?saved=1');
	}
};
