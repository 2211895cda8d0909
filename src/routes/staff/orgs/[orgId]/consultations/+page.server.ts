import { z } from 'zod';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { fieldErrors, queryOf, notice, formOf } from '$lib/server/boundary';
import { can } from '$lib/server/auth';
import { inbox, inboxQuery, recordStaffConsultation, staffEntryInput, INBOX_VIEWS, MESSAGE_MAX, NICKNAME_MAX, CONTACT_MAX } from '$lib/server/consultations';

/** `?recorded=` after recording a consultation (the view is the module's inboxQuery). */
const pageQuery = z.object({ recorded: notice(['urgent', 'ok']) });

export const load: PageServerLoad = async (event) => {
	const scope = requireOrganization(event, 'consultations.read');
	const { view } = queryOf(inboxQuery, event.url.searchParams);
	const { recorded } = queryOf(pageQuery, event.url.searchParams);
	return {
		orgId: scope.organizationId,
		inbox: await inbox(scope, { view }),
		views: INBOX_VIEWS,
		canRecord: can(scope.actor, 'consultations.reply', scope.organizationId),
		limits: { message: MESSAGE_MAX, nickname: NICKNAME_MAX, contact: CONTACT_MAX },
		recorded
	};
};

export const actions: Actions = {
	/** 電話・来所の相談を記録: a counsellor types a phone or walk-in consultation into the inbox. */
	record: async (event) => {
		const scope = requireOrganization(event, 'consultations.reply');
		// An unticked 緊急 box is not sent at all: `sent` keeps it undefined (not urgent) apart from a sent value.
		const raw = formOf(staffEntryInput, await event.request.formData(), { sent: true });
		const parsed = staffEntryInput.safeParse(raw);
		if (!parsed.success) return fail(400, { values: { message: raw.message, nickname: raw.nickname, contact: raw.contact, urgent: raw.urgent !== undefined }, errors: fieldErrors<{ message?: string; nickname?: string; contact?: string; urgent?: string }>(parsed.error) });
		const { urgent } = await recordStaffConsultation(scope, parsed.data);
		redirect(303, `/staff/orgs/${scope.organizationId}/consultations?view=${urgent ? 'urgent' : 'mine'}&recorded=${urgent ? 'urgent' : 'ok'}`);
	}
};
