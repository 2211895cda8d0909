/**
 * What each role may do. The table moved to auth (auth/permissions.ts: access control is a
 * platform service, and auth must not import a domain module to answer `can()`); network's callers
 * keep importing it from here and from network's door.
 */
export { PERMISSIONS, ROLE_PERMISSIONS, NETWORK_PERMISSIONS, MFA_ROLES, ASSIGNABLE_ROLES, type Permission } from '../auth';
