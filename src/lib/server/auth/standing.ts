/**
 * A person's standing — the roles they hold and in which organisations, with the organisations'
 * names for the menus — is the network's data (memberships) beside the directory's (names). auth is
 * a platform service below those modules and imports neither: it states what it needs
 * (`StandingSource`, run in the system context while the session is read, before anyone is known)
 * and the app provides it once (`provideStanding`: src/lib/server/standing.ts, wired by
 * hooks.server.ts and the tests' database helper). auth turns the answer into the actor
 * (secretariat standing, second factor required) with its own role table (./permissions.ts).
 */
import type { Tx } from '../scope';
import type { MembershipView } from './actor';

/** Every role the person holds, with the organisation's id and name, in any order. */
export type StandingSource = (tx: Tx<'system'>, userId: string) => Promise<MembershipView[]>;

let source: StandingSource | null = null;

/** Give auth the way to read a person's roles; the app does this once, before serving requests. */
export function provideStanding(read: StandingSource): void {
	source = read;
}

export function standingOf(tx: Tx<'system'>, userId: string): Promise<MembershipView[]> {
	if (!source) throw new Error('auth: no standing source; the app calls provideStanding() at start (src/lib/server/standing.ts)');
	return source(tx, userId);
}
