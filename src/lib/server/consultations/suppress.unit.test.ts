/** Small-number suppression of the network's consultation figures: primary and complementary. */
import { describe, expect, it } from 'vitest';
import { suppressCells, COUNTED, type Counted } from './suppress';

type Row = Record<Counted, number>;
/** A row from its channels and urgent count (threads = the channels' sum). */
const row = (web: number, line: number, staff: number, urgent: number): Row => ({ threads: web + line + staff, web, line, staff, urgent });
const totalOf = (rows: Row[]): Row => Object.fromEntries(COUNTED.map((m) => [m, rows.reduce((n, r) => n + r[m], 0)])) as Row;
const table = (...rows: Row[]) => [...rows, totalOf(rows)];
const hiddenIn = (hidden: Array<Record<Counted, boolean>>) => hidden.map((h) => COUNTED.filter((m) => h[m]));

/**
 * What someone reading the table can work out: a hidden cell is given back when it is the only
 * hidden cell of one of the sums. Checks every sum of the table, repeatedly, as a reader would.
 */
function recoverable(rows: Row[], hidden: Array<Record<Counted, boolean>>): Array<[number, Counted, number]> {
	const known = hidden.map((h) => ({ ...h }));
	const found: Array<[number, Counted, number]> = [];
	const last = rows.length - 1;
	const sums: Array<[number, Counted][]> = [];
	for (let r = 0; r < rows.length; r++)
		sums.push([
			[r, 'threads'],
			[r, 'web'],
			[r, 'line'],
			[r, 'staff']
		]);
	for (const m of COUNTED) sums.push([[last, m], ...rows.slice(0, last).map((_, r): [number, Counted] => [r, m])]);
	for (let changed = true; changed;) {
		changed = false;
		for (const cells of sums) {
			const unknown = cells.filter(([r, m]) => known[r][m]);
			if (unknown.length !== 1) continue;
			const [r, m] = unknown[0];
			known[r][m] = false;
			found.push([r, m, rows[r][m]]);
			changed = true;
		}
	}
	return found;
}

/** Sums whose whole is shown while their hidden parts add up to 1–4 (a reader learns "under 5 between them"). */
function smallHiddenRests(rows: Row[], hidden: Array<Record<Counted, boolean>>) {
	const last = rows.length - 1;
	const sums: Array<{ whole: [number, Counted]; parts: Array<[number, Counted]> }> = rows.map((_, r) => ({ whole: [r, 'threads'], parts: (['web', 'line', 'staff'] as const).map((c): [number, Counted] => [r, c]) }));
	for (const m of COUNTED) sums.push({ whole: [last, m], parts: rows.slice(0, last).map((_, r): [number, Counted] => [r, m]) });
	return sums.filter(({ whole: [wr, wm], parts }) => {
		const rest = parts.filter(([r, m]) => hidden[r][m]).reduce((n, [r, m]) => n + rows[r][m], 0);
		return !hidden[wr][wm] && rest > 0 && rest < 5;
	});
}

describe('suppressCells', () => {
	it('shows a table of counts of 5 and more as it is', () => {
		const rows = table(row(10, 5, 6, 5), row(7, 5, 5, 5));
		expect(hiddenIn(suppressCells(rows))).toEqual([[], [], []]);
	});

	it('hides every count under 5, zero included (a lone hidden 0 given back by a sum says nothing)', () => {
		const rows = table(row(20, 0, 12, 3), row(15, 9, 6, 7));
		// A's urgent 3 is hidden, and B's urgent with it (the network's 10 would give 3 back).
		expect(hiddenIn(suppressCells(rows))).toEqual([['line', 'urgent'], ['urgent'], []]);
	});

	it("hides a second organisation's count when the network total would give a hidden one back", () => {
		// Urgent: 3 in A (hidden), 7 in B, 10 in the network → B's 7 hides too, or 10 − 7 = 3.
		const rows = table(row(20, 0, 10, 3), row(30, 0, 10, 7));
		const hidden = suppressCells(rows);
		expect(hidden[0].urgent).toBe(true);
		expect(hidden[1].urgent).toBe(true);
		expect(hidden[2].urgent).toBe(false);
		expect(recoverable(rows, hidden).filter(([, , v]) => v > 0)).toEqual([]);
	});

	it("hides a second channel when a row's threads would give a hidden channel back", () => {
		// A: web 12, line 0, staff 2 → threads 14: staff 2 would be 14 − 12 − 0 (line 0 is given back, and says nothing).
		const rows = table(row(12, 0, 2, 5), row(40, 20, 10, 9));
		const hidden = suppressCells(rows);
		expect(hidden[0].staff).toBe(true);
		expect(hidden[0].web).toBe(true);
		expect(recoverable(rows, hidden).filter(([, , v]) => v > 0)).toEqual([]);
	});

	it('hides a channel of a row whose threads were hidden for the network total, or its channels would give them back', () => {
		// A's 3 threads are hidden; the network total would give them back, so B's threads (the smallest
		// other) hide too; B's channels would add up to them again, so one of B's channels hides as well.
		const rows = table(row(0, 0, 3, 0), row(5, 5, 10, 5), row(30, 20, 6, 9));
		const hidden = suppressCells(rows);
		expect(hidden[1].threads).toBe(true);
		expect(['web', 'line', 'staff'].some((c) => hidden[1][c as Counted])).toBe(true);
		expect(recoverable(rows, hidden).filter(([, , v]) => v > 0)).toEqual([]);
	});

	it('never lets a non-zero hidden count be worked out, on tables of many shapes', () => {
		// A fixed pseudo-random sequence: small and large counts, zeros, one to six organisations.
		let seed = 7;
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const count = () => (next() < 0.3 ? 0 : next() < 0.5 ? Math.floor(next() * 5) : 5 + Math.floor(next() * 40));
		for (let n = 0; n < 300; n++) {
			const rows = table(...Array.from({ length: 1 + Math.floor(next() * 6) }, () => row(count(), count(), count(), count())));
			for (const r of rows) r.urgent = Math.min(r.urgent, r.threads);
			rows[rows.length - 1] = totalOf(rows.slice(0, -1));
			const hidden = suppressCells(rows);
			rows.forEach((r, i) => COUNTED.forEach((m) => r[m] < 5 && expect(hidden[i][m], `${i}.${m}`).toBe(true)));
			expect(
				recoverable(rows, hidden).filter(([, , v]) => v > 0),
				JSON.stringify(rows)
			).toEqual([]);
			expect(smallHiddenRests(rows, hidden), JSON.stringify(rows)).toEqual([]);
		}
	});
});
