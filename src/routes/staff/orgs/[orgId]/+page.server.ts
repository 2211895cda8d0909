import { z } from 'zod';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { editProfile, ownOrganization, publishOrganization, readProfile, showAttendanceOnPrograms, taxonomy } from '$lib/server/directory';
import { requireOrganization } from '$lib/server/auth/guard';
import { todayInTokyo } from '$lib/server/clock';
import { noticeOf } from '$lib/server/staff/notice';
import { formOf } from '$lib/server/boundary';

export const load: PageServerLoad = async (event) => {
	const org = await ownOrganization(requireOrganization(event, 'directory.edit'));
	if (!org) error(404, 'Not Found');
	return {
		organization: {
			id: org.id,
			published: org.published,
			showAttendance: org.showAttendance,
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
	const scope = requireOrganization(event, 'directory.edit');
	const done = await publishOrganization(scope, { published });
	if (!done.ok) error(404, 'Not Found');
	redirect(303, `/staff/orgs/${scope.organizationId}?done=${published ? 'published' : 'unpublished'}`);
}

/** 出席の数を見せるか: yes or no, anything else is a 400. */
const attendanceForm = z.object({ show: z.enum(['yes', 'no']) });

export const actions: Actions = {
	save: async (event) => {
		const scope = requireOrganization(event, 'directory.edit');
		const parsed = readProfile(await event.request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const saved = await editProfile(scope, { profile: parsed.value, today: todayInTokyo() });
		if (!saved.ok) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${scope.organizationId}?done=saved`);
	},
	attendance: async (event) => {
		const scope = requireOrganization(event, 'directory.edit');
		const parsed = attendanceForm.safeParse(formOf(attendanceForm, await event.request.formData()));
		if (!parsed.success) return fail(400, { attendanceError: 'staff.attendance.invalid' });
		const choice = parsed.data.show;
		const done = await showAttendanceOnPrograms(scope, { show: choice === 'yes' });
		if (!done.ok) error(404, 'Not Found');
		redirect(303, `/staff/orgs/${scope.organizationId}?done=${choice === 'yes' ? 'attendanceShown' : 'attendanceHidden'}`);
	},
	publish: (event) => publish(event, true),
	unpublish: (event) => publish(event, false)
};
