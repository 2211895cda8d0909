import type { RequestHandler } from './$types';
import { getProgram, idParam, label } from '$lib/server/directory';
import { nextOccurrencesOfProgram } from '$lib/server/events';
import { apiError } from '$lib/server/api/respond';
import { flyerPdf } from '$lib/server/events/print';
import { db } from '$lib/server/db';
import { costInWords, formatOccurrence, joinInWords, scheduleInWords, translatorFor } from '$lib/server/present';

/** An A4 flyer of a published program, with a QR code to its page. */
export const GET: RequestHandler = async ({ params, url, locals }) => {
	if (!idParam.safeParse(params.id).success) return apiError(400, 'invalid_id', 'The program id is not valid.');
	// Both reads at once (two pool connections): the dates need only the id, which is checked above.
	// A program that is not published gets its 404 all the same; its dates are read and dropped.
	const [detail, dates] = await Promise.all([getProgram(db(), params.id), nextOccurrencesOfProgram(db(), params.id, new Date(), 6)]);
	if (!detail) return apiError(404, 'not_found', 'No published program has this id.');
	const t = translatorFor(locals.locale);
	const { program, organization } = detail;
	const place = detail.locations[0];
	const pdf = await flyerPdf({
		title: program.title,
		organization: organization.name,
		summary: program.summary,
		forWhom: [...program.lifeStages.map((c) => label('lifeStages', c, locals.locale)), ...program.targets.map((c) => label('targets', c, locals.locale))],
		schedule: detail.schedules.map((s) => scheduleInWords(t, s)).filter(Boolean),
		dates: dates.map((o) => ({ text: formatOccurrence(t, o.startsAt, o.endsAt, o.allDay), cancelled: o.status === 'cancelled' })),
		place: place ? `${place.name} ${place.prefecture}${place.city ?? ''}${place.addressLine ?? ''}` : null,
		cost: costInWords(t, program.costKind, program.costAmountYen),
		join: joinInWords(t, program.joinMethod),
		contact: [program.contactPhone, program.contactEmail, program.contactUrl].filter((x): x is string => !!x),
		url: `${url.origin}/programs/${program.id}`,
		labels: { when: t('print.when'), next: t('print.next'), cancelled: t('print.cancelled'), where: t('print.where'), cost: t('print.cost'), join: t('print.join'), contact: t('print.contact'), forWhom: t('print.forWhom'), scan: t('print.scan') }
	});
	return new Response(new Uint8Array(pdf), { headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="flyer-${program.id}.pdf"`, 'cache-control': 'public, max-age=300' } });
};
