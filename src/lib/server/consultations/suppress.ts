/**
 * Small-number suppression for consultation figures seen from outside an organisation (the
 * secretariat's network figures): a pure function over a table of counts, so it is tested alone.
 */
import { CHANNELS } from './schema';

/** Counts under this are not shown outside the organisation (as participation's SUPPRESS_BELOW). */
export const CONSULTATION_SUPPRESS_BELOW = 5;

/** The counted columns of a row: its threads, its channels (which add up to the threads), its urgent ones. */
export const COUNTED = ['threads', ...CHANNELS, 'urgent'] as const;
export type Counted = (typeof COUNTED)[number];

/**
 * Which cells of a table of counts to hide. `rows` hold the true counts; the last row is the total
 * of the others. Primary: every count under 5 (0 too, so a hidden cell says nothing about being 0).
 * Complementary, repeated until nothing changes, in every sum (a row's threads = its channels; the
 * total = the rows, per column): when exactly one of its cells is hidden and not 0 (the others give
 * it back), or its whole is shown and its hidden parts add up to 1–4, the smallest shown part is
 * hidden too (the whole, when no part is left). Cells only ever become hidden, so it ends. A
 * heuristic, not a proof against every combination of sums — as statistical offices practise it.
 */
export function suppressCells(rows: ReadonlyArray<Record<Counted, number>>): Array<Record<Counted, boolean>> {
	const sums: Array<TableSum<Counted>> = [];
	for (let r = 0; r < rows.length; r++) sums.push({ whole: [r, 'threads'], parts: CHANNELS.map((c): TableCell<Counted> => [r, c]) });
	const last = rows.length - 1;
	if (last > 0) for (const m of COUNTED) sums.push({ whole: [last, m], parts: rows.slice(0, last).map((_, r): TableCell<Counted> => [r, m]) });
	return suppressTable(rows, COUNTED, sums);
}

/** A cell of a table of counts: its row and its measure. */
export type TableCell<M extends string> = readonly [row: number, measure: M];
/** One sum a reader can use: `whole` is the sum of `parts`. */
export interface TableSum<M extends string> {
	whole: TableCell<M>;
	parts: ReadonlyArray<TableCell<M>>;
}

/**
 * suppressCells for any table (other modules' figures, e.g. referrals): the counted `measures` of
 * each row and the `sums` a reader could use. Primary: every count under 5; complementary, repeated
 * until nothing changes, exactly as described above.
 */
export function suppressTable<M extends string>(rows: ReadonlyArray<Record<M, number>>, measures: readonly M[], sums: ReadonlyArray<TableSum<M>>): Array<Record<M, boolean>> {
	const hidden = rows.map((r) => Object.fromEntries(measures.map((m) => [m, r[m] < CONSULTATION_SUPPRESS_BELOW])) as Record<M, boolean>);
	const isHidden = ([r, m]: TableCell<M>) => hidden[r][m];
	const value = ([r, m]: TableCell<M>) => rows[r][m];
	for (let changed = true; changed;) {
		changed = false;
		for (const { whole, parts } of sums) {
			const gone = [whole, ...parts].filter(isHidden);
			const partsGone = parts.filter(isHidden).reduce((n, cell) => n + value(cell), 0);
			const givenBack = gone.length === 1 && value(gone[0]) > 0;
			const smallRest = !isHidden(whole) && partsGone > 0 && partsGone < CONSULTATION_SUPPRESS_BELOW;
			if (!givenBack && !smallRest) continue;
			const shown = parts.filter((cell) => !isHidden(cell)).sort((a, b) => value(a) - value(b));
			const [r, m] = shown[0] ?? whole;
			if (hidden[r][m]) continue;
			hidden[r][m] = true;
			changed = true;
		}
	}
	return hidden;
}
