/**
 * The scope service: typed tenant scope for every module operation (see ARCHITECTURE.md, "The
 * scope"). Scopes are made by the guard (auth/guard.ts) and by `systemScope` (./system.ts); the
 * mint functions in ./scope.ts are not exported here.
 */
export type { ContextKind, Pool, Tx } from '../db';
export { runIn, between, runAcross, CROSSING_PURPOSES, type Scope, type ScopeKind, type TxOf, type OrganizationScope, type SecretariatScope, type ResidentScope, type SystemScope, type AccountScope, type SignedInScope, type Crossing, type CrossingPurpose } from './scope';
export { systemScope, systemScopeBeside } from './system';
export { ok, refused, type Ok, type Refused, type Result } from './result';
