/**
 * Wiring, not a module: auth's standing source (auth/standing.ts) from the modules that hold the
 * data — the person's memberships (network) and their organisations' names (directory). auth, a
 * platform service, imports neither; this file, in the app layer that wires modules together
 * (like runtime/, and like it out of platform services' reach in .dependency-cruiser.cjs), gives
 * auth the one read it needs. hooks.server.ts calls `provideStanding` with it before serving
 * requests; the tests' database helper does the same.
 */
import type { StandingSource } from './auth';
import { organizationNames } from './directory';
import { membershipsOf } from './network';

export const standingFromNetwork: StandingSource = async (tx, userId) => {
	const rows = await membershipsOf(tx, userId);
	const names = await organizationNames(
		tx,
		rows.map((m) => m.organizationId)
	);
	return rows.map((m) => ({ ...m, organizationName: names.get(m.organizationId) ?? '' }));
};
