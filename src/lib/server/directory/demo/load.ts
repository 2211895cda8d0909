/**
 * The demo region: real organisations from the casebooks in shared/seeds, committed as JSON in
 * this folder. Loading is idempotent (upsert by slug).
 */
import { sql } from 'drizzle-orm';
import type { Pool } from '../../db';
import { datasetInput, type OrganizationInput } from '../model';
import { runIn, type SystemScope } from '../../scope';
import { saveOrganization, saveTaxonomies } from '../save';
import { organizations } from '../schema';

import seed000 from './seed-000.json';
import seed001 from './seed-001.json';
import seed002 from './seed-002.json';
import seed003 from './seed-003.json';
import seed004 from './seed-004.json';

// Imported, not read from disk, so the data travels inside the built server.
const files: Record<string, unknown> = { 'seed-000.json': seed000, 'seed-001.json': seed001, 'seed-002.json': seed002, 'seed-003.json': seed003, 'seed-004.json': seed004 };

export function readDemoDataset(): OrganizationInput[] {
	return Object.entries(files).flatMap(([file, content]) => {
		const parsed = datasetInput.safeParse(content);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
		}
		return parsed.data.organizations.map(withApproximatePoints);
	});
}

/**
 * The demo's coordinates are the 市区町村's representative point (or the prefecture's, for a
 * prefecture-wide area), not the place itself (FORMAT.md; dataset.unit.test.ts holds each within
 * 2 km of the registry's point), so they load as approximate — distances from them say 「約」 and
 * open-data exports leave them out — unless a place says `"approximate": false` (a venue's own point).
 */
function withApproximatePoints(org: OrganizationInput): OrganizationInput {
	return { ...org, programs: org.programs.map((p) => ({ ...p, locations: p.locations.map((l) => ({ ...l, approximate: l.approximate ?? true })) })) };
}

/** Load (or refresh) the demo region: a platform job that writes for every organisation. */
export async function loadDemoRegion(scope: SystemScope, today: string): Promise<{ organizations: number; programs: number }> {
	const dataset = readDemoDataset();
	await runIn(scope, async (tx) => {
		await saveTaxonomies(tx);
		for (const org of dataset) await saveOrganization(tx, org, today);
	});
	return { organizations: dataset.length, programs: dataset.reduce((n, o) => n + o.programs.length, 0) };
}

export async function isDirectoryEmpty(db: Pool): Promise<boolean> {
	const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(organizations);
	return row.n === 0;
}
