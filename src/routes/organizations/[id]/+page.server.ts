import { error } from '@sveltejs/kit';
import { getOrganization, idParam, label } from '$lib/server/directory';
import { db } from '$lib/server/db';
import { formatYearMonth } from '$lib/server/present';
import { translator } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const csr = false;

export const load: PageServerLoad = async ({ params, locals }) => {
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
			sourceTitle: o.sourceTitle
		},
		programs: detail.programs.map((p) => ({ id: p.id, title: p.title, summary: p.summary, forms: p.forms.map((f) => label('forms', f, locals.locale)) }))
	};
};
