/**
 * The platform's own scope, for work that acts for no one: start-up, timers, tools. A function
 * that needs it takes a `SystemScope` (or a `Tx<'system'>`), so the need shows in its type.
 */
import type { Pool } from '../db';
import { mintSystemScope, type SystemScope } from './scope';

export function systemScope(pool: Pool, job: string): SystemScope {
	return mintSystemScope(pool, job);
}
