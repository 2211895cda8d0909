/** The conference's window in words, in Tokyo time: 「12月6日(土) 13:00–15:00」, both days when it runs past midnight. */
import type { Translate } from '$lib/i18n';
import { tokyoWallClock } from '$lib/server/conferences';
import { formatDay, formatOccurrence, formatTime } from '$lib/server/present';

export function windowInWords(t: Translate, startsAt: Date, endsAt: Date): string {
	const [start, end] = [tokyoWallClock(startsAt).day, tokyoWallClock(endsAt).day];
	if (start === end) return formatOccurrence(t, startsAt, endsAt, false);
	return `${formatDay(t, start)} ${formatTime(startsAt)} – ${formatDay(t, end)} ${formatTime(endsAt)}`;
}
