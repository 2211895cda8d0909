import type { Translate } from './index';

/**
 * A registration's state in words, the same on the staff list, its CSV and the resident's own page:
 * a group checked in is 来場済み, a waiting one shows its place in the queue.
 */
export function registrationStatusText(t: Translate, r: { status: 'registered' | 'waitlisted' | 'cancelled'; waitlistPosition: number | null; attended: boolean }): string {
	if (r.status === 'waitlisted') return t('registration.status.waitlisted', { position: r.waitlistPosition ?? '' });
	if (r.status === 'registered' && r.attended) return t('registration.status.attended');
	return t(`registration.status.${r.status}`);
}
