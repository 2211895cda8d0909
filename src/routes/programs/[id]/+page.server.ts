import { error } from '@sveltejs/kit';
import { getProgram, lastChangedOf, idParam, label, nextOccurrences, holidaySkips, addDays } from '$lib/server/directory';
import { db } from '$lib/server/db';
import { todayInTokyo } from '$lib/server/clock';
import { nextOccurrencesOfProgram } from '$lib/server/events';
import { publicProgramFigures } from '$lib/server/participation';
import { residentScope } from '$lib/server/auth/guard';
import { costInWords, formatDay, formatDayLong, formatOccurrence, formatYearMonth, joinInWords, scheduleInWords } from '$lib/server/present';
import { translator } from '$lib/i18n';
import type { PageServerLoad } from './$types';

export const csr = false;

export const load: PageServerLoad = async ({ params, locals }) => {
	const t = translator(locals.locale);
	if (!idParam.safeParse(params.id).success) error(400, { message: t('error.badRequest') });
	// The program and its dated sessions at once (one statement each, one round trip): a cache miss
	// renders the page from these two reads, and the figures when the organisation shows them.
	const [detail, dated] = await Promise.all([getProgram(db(), params.id), nextOccurrencesOfProgram(db(), params.id, new Date(), 6)]);
	if (!detail) error(404, { message: 'Not Found' });
	const { program, organization } = detail;
	const loc = locals.locale;
	const today = todayInTokyo();

	// Holidays the place skips in the coming weeks, so "why no session on the 23rd" is answered.
	const skipped = detail.schedules.flatMap((s) => holidaySkips(s, today, addDays(today, 90))).map((d) => t('program.holidaySkipped', { date: formatDay(t, d.day), name: d.name }));

	// Dated sessions (events module): cancelled and moved ones shown as such, each with its own page.
	const nextDates = dated.length
		? dated.slice(0, 6).map((o) => ({
				id: o.id as string | null,
				iso: o.startsAt.toISOString(),
				text: formatOccurrence(t, o.startsAt, o.endsAt, o.allDay),
				title: o.title,
				cancelled: o.status === 'cancelled',
				moved: o.moved,
				visit: o.kind === 'visit',
				registration: o.registrationOpen && o.status === 'scheduled',
				note: o.note
			}))
		: nextOccurrences(detail.schedules, today, 5).map((o) => ({ id: null, iso: o.start.toISOString(), text: formatOccurrence(t, o.start, o.end, o.allDay), title: null, cancelled: false, moved: false, visit: false, registration: false, note: null }));
	const next = nextDates.find((d) => !d.cancelled);
	const lastChanged = lastChangedOf(detail);

	return {
		program: {
			id: program.id,
			title: program.title,
			summary: program.summary,
			description: program.description,
			status: program.status,
			outcomes: program.outcomes,
			firstTimeNote: program.firstTimeNote,
			joinNote: program.joinNote,
			costNote: program.costNote,
			cost: costInWords(t, program.costKind, program.costAmountYen),
			join: joinInWords(t, program.joinMethod),
			delivery: t(`delivery.${program.deliveryMode as 'in_person'}`),
			partnership: program.partnershipType ? t(`partnership.${program.partnershipType as 'public_private'}`) : null,
			period: program.periodStart ? t('program.periodFrom', { start: formatYearMonth(t, program.periodStart) }) + (program.periodEnd ? ` — ${formatYearMonth(t, program.periodEnd)}` : '') : null,
			forms: program.forms.map((c) => label('forms', c, loc)),
			targets: program.targets.map((c) => label('targets', c, loc)),
			lifeStages: program.lifeStages.map((c) => label('lifeStages', c, loc)),
			languages: program.languages.map((c) => label('languages', c, loc)),
			contact: { phone: program.contactPhone, email: program.contactEmail, url: program.contactUrl },
			// The program's own last change. A program loaded from a casebook (the demo region) and
			// never edited since has none: the load is not a change, and the source is named instead.
			updated: lastChanged ? formatDayLong(t, todayInTokyo(lastChanged)) : null,
			updatedIso: lastChanged?.toISOString() ?? null
		},
		organization: { id: organization.id, name: organization.name, website: organization.website, sourceTitle: organization.sourceTitle },
		// A rule is said in the page's language; a schedule known only in words is the organisation's (Japanese).
		schedules: detail.schedules
			.map((s) => {
				const text = scheduleInWords(t, s);
				return { text, words: text === (s.note ?? '') };
			})
			.filter((s) => s.text),
		nextDates,
		next: next?.text ?? null,
		// The organisation chooses whether its program pages show attendance (staff profile page).
		figures: organization.showAttendance ? await publicProgramFigures(residentScope({ locals }), { programId: program.id, today }) : null,
		skipped: [...new Set(skipped)].slice(0, 3),
		places: detail.locations.map((l) => ({
			name: l.name,
			address: [l.postalCode ? `〒${l.postalCode}` : '', l.prefecture, l.city ?? '', l.addressLine ?? ''].filter(Boolean).join(' '),
			accessibility: l.accessibility,
			transport: l.transport
		})),
		partners: detail.partners.map((p) => ({ name: p.name, role: p.role }))
	};
};
