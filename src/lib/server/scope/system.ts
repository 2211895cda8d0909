/**
 * The platform's own scope, for work that acts for no one: start-up, timers, tools. A function
 * that needs it takes a `SystemScope` (or a `Tx<'system'>`), so the need shows in its type.
 */
import type { Pool } from '../db';
import { mintSystemScope, poolOfScope, type Scope, type SystemScope } from './scope';

export function systemScope(pool: Pool, job: string): SystemScope {
	return mintSystemScope(pool, job);
}

/**
 * The platform's scope on the pool a person's scope runs on, for a platform read their own context
 * may not make (e.g. naming the secretariat's people in an organisation's log). The caller decides
 * what of it the person sees.
 */
export function systemScopeBeside(scope: Scope, job: string): SystemScope {
	return mintSystemScope(poolOfScope(scope), job);
}
