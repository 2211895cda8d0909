/** Plain words for consent pages: lists of items, days, times. */
import type { Translate } from '$lib/i18n';

export type Item = 'name' | 'contact' | 'summary' | 'needs';

/** 「お名前と連絡先」, 「お名前、連絡先と必要な手助けや配慮」. */
export function itemsText(t: Translate, items: readonly Item[]): string {
	const words = items.map((i) => t(`consent.item.${i}`));
	if (words.length <= 1) return words.join('');
	return words.slice(0, -1).join(t('consent.and')) + t('consent.andLast') + words[words.length - 1];
}

/** A YYYY-MM-DD day as 2027年3月31日. */
export function dayText(day: string, locale: string): string {
	return new Date(`${day}T12:00:00+09:00`).toLocaleDateString(locale === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' });
}

export function dateText(d: Date, locale: string): string {
	return d.toLocaleDateString(locale === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' });
}

export const REACH = ['phone', 'mail', 'line', 'self'] as const;
