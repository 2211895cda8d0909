import { error } from '@sveltejs/kit';
import { getOrganization, idParam, label } from '$lib/server/directory';
import { db } from '$lib/server/db';
import { formatDayLong, formatYearMonth } from '$lib/server/present';
import { citationMessage, organizationCitation } from '$lib/server/opendata';
import { translator } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const csr = false;

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const t = translator(locals.locale);
	if (!idParam.safeParse(params.id).success) error(400, { message: t('error.badRequest') });
	const detail = await getOrganization(db(), params.id);
	if (!detail) error(404, { message: 'Not Found' });
	const o = detail.organization;
	return {
		organization: {
			id: detail.organization.id,
			name: o.name,
			nameKana: o.nameKana,
			legalForm: o.legalForm ? label('legalForms', o.legalForm, locals.locale) : null,
			representative: o.representative,
			founded: o.founded ? formatYearMonth(t, o.founded) : null,
			address: [o.prefecture, o.city, o.addressLine].filter(Boolean).join(''),
			website: o.website,
			message: o.message,
			description: o.description,
			// Where these facts come from: the source document, or the organisation itself (issue 17).
			// As a message, so that the page marks the document's title and the organisation's name as Japanese.
			citation: citationMessage(organizationCitation(o, url.origin), locals.locale, t('app.name'), (day) => formatDayLong(t, day))
		},
		programs: detail.programs.map((p) => ({ id: p.id, title: p.title, summary: p.summary, forms: p.forms.map((f) => label('forms', f, locals.locale)) }))
	};
};
