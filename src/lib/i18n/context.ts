import { page } from '$app/state';
import { translator, type Locale, type Translate } from './index';

/** The translator for the current request's locale (set by the root layout's data). */
export function useT(): Translate {
	return translator(((page.data as { locale?: Locale }).locale ?? 'ja') as Locale);
}
