/**
 * The days a request may name (calendar, printed month, figures): real dates between
 * DAY_RANGE.first and DAY_RANGE.last. Outside it, date arithmetic and PostgreSQL's `date` stop
 * agreeing (year 0, year 10000), and no one plans that far.
 */
import { z } from 'zod';

export const DAY_RANGE = { first: '2000-01-01', last: '2100-12-31' } as const;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A `YYYY-MM-DD` day that exists in the calendar (no 2月30日), whatever its year. */
export function isRealDay(value: string): boolean {
	const m = DAY.exec(value);
	if (!m) return false;
	const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
	return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function isDayInRange(value: string): boolean {
	return isRealDay(value) && value >= DAY_RANGE.first && value <= DAY_RANGE.last;
}

/** A `YYYY-MM-DD` query or form value within DAY_RANGE. */
export const dayInRange = z.string().refine(isDayInRange, { message: `a date from ${DAY_RANGE.first} to ${DAY_RANGE.last}` });
