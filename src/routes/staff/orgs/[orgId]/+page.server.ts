import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { organizationForStaff, readProfile, setOrganizationPublished, taxonomy, updateProfile } from '$lib/server/directory';
import { actorDb, auditOrigin, requireOrganization } from '$lib/server/auth/guard';
import { recordAudit } from '$lib/server/audit';
import { todayInTokyo } from '$lib/server/runtime';
import { noticeOf } from '$lib/server/staff/notice';

export const load: PageServerLoad = async (event) => {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	const org = await actorDb(event, (tx) => organizationForStaff(tx, organizationId));
	if (!org) error(404, 'Not Found');
	return {
		organization: {
			id: org.id,
			published: org.published,
			values: {
				name: org.name,
				nameKana: org.nameKana ?? '',
				legalForm: org.legalForm ?? '',
				representative: org.representative ?? '',
				prefecture: org.prefecture ?? '',
				city: org.city ?? '',
				addressLine: org.addressLine ?? '',
				postalCode: org.postalCode ?? '',
				website: org.website ?? '',
				message: org.message ?? '',
				description: org.description
			}
		},
		legalForms: taxonomy.legalForms.map((f) => ({ code: f.code, label: event.locals.locale === 'en' ? f.en : f.ja })),
		done: noticeOf(event.url)
	};
};

async function publish(event: Parameters<NonNullable<Actions['publish']>>[0], published: boolean) {
	const { organizationId } = requireOrganization(event, 'directory.edit');
	const ok = await actorDb(event, async (tx) => {
		const done = await setOrganizationPublished(tx, organizationId, published);
		if (done) await recordAudit(tx, auditOrigin(event), { action: published ? 'organization.publish' : 'organization.unpublish', organizationId, entityType: 'organization', entityId: organizationId, changedFields: ['published'] });
		return done;
	});
	if (!ok) error(404, 'Not Found');
	redirect(303, `/staff/orgs/${organizationId}?done=${published ? 'published' : 'unpublished'}`);
}

export const actions: Actions = {
	save: async (event) => {
		const { organizationId } = requireOrganization(event, 'directory.edit');
		const parsed = readProfile(await event.request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const found = await actorDb(event, async (tx) => {
			if (!(await organizationForStaff(tx, organizationId))) return false;
			const changed = await updateProfile(tx, organizationId, parsed.value, todayInTokyo());
			if (changed.length) await recordAudit(tx, auditOrigin(event), { action: 'organization.update', organizationId, entityType: 'organization', entityId: organizationId, changedFields: changed });
			return true;
		});
		if (!found) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${organizationId}?done=saved`);
	},
	publish: (event) => publish(event, true),
	unpublish: (event) => publish(event, false)
};
