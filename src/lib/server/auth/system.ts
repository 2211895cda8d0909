/**
 * auth's one door into the system context. Signing in, reading a session cookie, following an
 * e-mailed link and the session housekeeping happen before anyone is known (or for no one), so
 * there is no person's context to run in: those steps run as the platform. Each opens its
 * transaction here, naming itself (`auth.<step>` is the system scope's job), and what runs inside
 * takes a `Tx<'system'>`, so a function that needs the system context says so in its type.
 * Everything a known person does to their own account runs in their `AccountScope` instead.
 */
import { runIn, systemScope, type Pool, type Tx } from '../scope';

export function beforeSignIn<T>(pool: Pool, step: string, fn: (tx: Tx<'system'>) => Promise<T>): Promise<T> {
	return runIn(systemScope(pool, `auth.${step}`), fn);
}
