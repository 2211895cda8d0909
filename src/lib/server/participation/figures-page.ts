/** The staff figures page and its CSV share the period reading and the computation. */
import { z } from 'zod';
import type { Db } from '../db';
import { addDays, allOrganizations, programsOf } from '../directory';
import { csvDocument } from '../audit';
import { attendanceFigures, suppressed, type Figures } from './figures';
import { asSystem } from '../db/tenant';
import { dayInRange } from '../boundary';

const day = dayInRange;
const query = z
	.object({
		from: day.optional(),
		to: day.optional(),
		weeks: z.coerce.number().int().min(1).max(52).default(4)
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to);

export type FiguresQuery = { from: string; to: string; weeks: number };

/** Default: the last twelve months up to today. */
export function readFiguresQuery(params: URLSearchParams, today: string): FiguresQuery | null {
	const raw = Object.fromEntries(['from', 'to', 'weeks'].flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
	const parsed = query.safeParse(raw);
	if (!parsed.success) return null;
	return { from: parsed.data.from ?? addDays(today, -365), to: parsed.data.to ?? today, weeks: parsed.data.weeks };
}

export async function organizationFigures(tx: Db, organizationId: string, q: FiguresQuery, today: string): Promise<{ total: Figures; programs: FiguresRow[] }> {
	const programs = await programsOf(tx, organizationId);
	const { total, perProgram } = await attendanceFigures(tx, { organizationId, programIds: programs.map((p) => p.id), from: q.from, to: q.to, weeks: q.weeks, today });
	return { total, programs: programs.map((p) => ({ id: p.id, title: p.title, figures: perProgram.get(p.id)! })) };
}

export type FiguresRow = { id: string; title: string; figures: Figures };

/**
 * The region for the secretariat: every organisation's figures and the region's total. 実人数 is
 * not a sum (one person goes to several places), so each organisation and the region are counted
 * on their own; the secretariat's context reads every organisation's visits (RLS), never names.
 */
export async function regionFigures(tx: Db, q: FiguresQuery, today: string): Promise<{ total: Figures; organizations: FiguresRow[] }> {
	const rows: FiguresRow[] = [];
	const everyProgram: string[] = [];
	for (const o of await allOrganizations(tx)) {
		const programIds = (await programsOf(tx, o.id)).map((p) => p.id);
		if (programIds.length === 0) continue;
		everyProgram.push(...programIds);
		const { total } = await attendanceFigures(tx, { organizationId: o.id, programIds, from: q.from, to: q.to, weeks: q.weeks, today });
		rows.push({ id: o.id, title: o.name, figures: total });
	}
	const { total } = await attendanceFigures(tx, { programIds: everyProgram, from: q.from, to: q.to, weeks: q.weeks, today });
	return { total, organizations: rows };
}

/** The figures table as CSV. */
export function figuresCsv(labels: { first: string; total: string; columns: readonly string[] }, rows: readonly FiguresRow[], total: Figures): string {
	const line = (title: string, f: Figures) => [title, f.sessions, f.visits, f.people, f.repeaters, f.retention.share === null ? '' : f.retention.share.toFixed(3)];
	return csvDocument([[labels.first, ...labels.columns], ...rows.map((r) => line(r.title, r.figures)), line(labels.total, total)]);
}

/** What the public program page shows: last 12 months, counts under 5 hidden. */
export async function publicProgramFigures(db: Db, programId: string, today: string) {
	const { perProgram } = await asSystem(db, (tx) => attendanceFigures(tx, { programIds: [programId], from: addDays(today, -365), to: today, weeks: 4, today }));
	const f = perProgram.get(programId)!;
	return suppressed(f);
}
