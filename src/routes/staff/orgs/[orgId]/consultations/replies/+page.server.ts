import { z } from 'zod';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireOrganization } from '$lib/server/auth/guard';
import { can } from '$lib/server/auth';
import { translator } from '$lib/i18n';
import { autoReplyErrors, autoReplyFromForm, autoReplySchema, defaultAutoReply, firstReplyAt, replySettings, saveReplySettings, tokyoWallClock, llmEndpoint, AUTO_REPLY_MAX, WEEKDAYS } from '$lib/server/consultations';
import { queryOf, notice } from '$lib/server/boundary';

/** `?saved=1` after saving; anything else shows no notice. */
const pageQuery = z.object({ saved: notice(['1']) });

/**
 * 自動の返信と下書き: the organisation's first reply and drafting toggle. Changed by those who
 * manage the organisation's consultations (`consultations.manage`: its admin, the secretariat at its
 * own organisation); its counsellors see it read-only (they answer the threads it speaks in).
 */
export const load: PageServerLoad = async (event) => {
	const manage = !!event.locals.actor && can(event.locals.actor, 'consultations.manage', event.params.orgId);
	const scope = requireOrganization(event, manage ? 'consultations.manage' : 'consultations.read');
	const settings = await replySettings(scope);
	const t = translator(event.locals.locale);
	const now = new Date();
	const preview = firstReplyAt(settings.autoReply, now);
	return {
		orgId: scope.organizationId,
		manage,
		autoReply: settings.autoReply ?? defaultAutoReply({ withinHours: t('consultReplies.defaultWithin'), outsideHours: t('consultReplies.defaultOutside') }),
		draftAssist: settings.draftAssist,
		endpointConfigured: settings.endpointConfigured,
		weekdays: WEEKDAYS,
		max: AUTO_REPLY_MAX,
		preview: { ...tokyoWallClock(now), reply: preview },
		saved: queryOf(pageQuery, event.url.searchParams).saved === '1'
	};
};

export const actions: Actions = {
	save: async (event) => {
		const scope = requireOrganization(event, 'consultations.manage');
		const { autoReply, draftAssist } = autoReplyFromForm(await event.request.formData());
		const parsed = autoReplySchema.safeParse(autoReply);
		if (!parsed.success) return fail(400, { values: autoReply as Record<string, unknown>, errors: autoReplyErrors(parsed.error) });
		// Without an endpoint the toggle is shown disabled (sends nothing): leave it as it is.
		await saveReplySettings(scope, { autoReply: parsed.data, draftAssist: llmEndpoint() ? draftAssist : undefined });
		redirect(303, `/staff/orgs/${scope.organizationId}/consultations/replies?saved=1`);
	}
};
