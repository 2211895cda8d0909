/**
 * The official crisis lines a person is shown at once when their message is triaged urgent (web
 * page, API answer, LINE reply). The facts live in hotlines.json so the secretariat can correct a
 * number or hours without touching code; this file validates them and chooses which to show.
 */
import { z } from 'zod';
import hotlineData from './hotlines.json';
import type { TriageResult } from './triage';

const hotlineSchema = z.object({
	id: z.string().regex(/^[a-z0-9-]+$/),
	name: z.string().min(1),
	// Digits and hyphens only, so the number can go straight into a tel: link.
	number: z.string().regex(/^[0-9]+(-[0-9]+)*$/),
	hours: z.string().min(1),
	url: z.url().nullable(),
	audience: z.enum(['everyone', 'children', 'emergency'])
});

const hotlinesFileSchema = z.object({ hotlines: z.array(hotlineSchema).min(1) }).refine((f) => new Set(f.hotlines.map((h) => h.id)).size === f.hotlines.length, 'hotline ids must be unique');

export type Hotline = z.infer<typeof hotlineSchema>;

/** Validates a hotlines document; throws a ZodError on bad data. */
export function parseHotlines(json: unknown): readonly Hotline[] {
	return Object.freeze(hotlinesFileSchema.parse(json).hotlines.map((h) => Object.freeze(h)));
}

export const HOTLINES: readonly Hotline[] = parseHotlines(hotlineData);

/** The lines for everyone (not the emergency numbers, not the children's line), for pages that offer them unasked, such as a search that found nothing. */
export function hotlinesForEveryone(hotlines: readonly Hotline[] = HOTLINES): Hotline[] {
	return hotlines.filter((h) => h.audience === 'everyone');
}

/**
 * The lines to show for a triage result, most pressing first: [] when the message is not urgent;
 * 110/119 first when there is immediate danger; チャイルドライン when the person is (or may be) a
 * child; then every line for everyone, in the data file's order. A child-only line is left out
 * for adults so that an adult is not sent to a line that will not take them.
 */
export function hotlinesFor(result: TriageResult, options: { child?: boolean } = {}, hotlines: readonly Hotline[] = HOTLINES): Hotline[] {
	if (!result.urgent) return [];
	const danger = result.categories.includes('danger');
	return [...(danger ? hotlines.filter((h) => h.audience === 'emergency') : []), ...(options.child ? hotlines.filter((h) => h.audience === 'children') : []), ...hotlines.filter((h) => h.audience === 'everyone')];
}
