/**
 * The UI text layer. Japanese is the default; English second. Components get a translator from
 * the page data's locale (useT in ./context), server code calls translate() directly.
 */
import { ja, type MessageKey } from './ja';
import { en } from './en';

export const locales = ['ja', 'en'] as const;
export type Locale = (typeof locales)[number];
export type { MessageKey };

const catalogues: Record<Locale, Record<MessageKey, string>> = { ja, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
	const text = catalogues[locale][key] ?? ja[key];
	return params ? text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : text;
}

/**
 * A message split around its parameters, so that a page can mark what it inserts: the directory's
 * names are Japanese whatever the page's language (「Run by <span lang="ja">…</span>」).
 */
export function translateParts(locale: Locale, key: MessageKey, params: Params): Array<{ text: string; param: boolean; name?: string }> {
	const text = catalogues[locale][key] ?? ja[key];
	return text
		.split(/(\{\w+\})/)
		.filter(Boolean)
		.map((part) => {
			const name = /^\{(\w+)\}$/.exec(part)?.[1];
			return name && name in params ? { text: String(params[name]), param: true, name } : { text: part, param: false };
		});
}

export function translator(locale: Locale): Translate {
	return (key, params) => translate(locale, key, params);
}

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Cookie first (the visitor's choice), then the browser's languages, then Japanese. */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
	if (isLocale(cookie)) return cookie;
	const first = acceptLanguage?.split(',')[0]?.trim().slice(0, 2).toLowerCase();
	return first === 'en' ? 'en' : 'ja';
}
