/** The network module's door: membership, roles, invitations, joining, the first secretariat admin. */
export { ROLES, JOIN_STATUSES, type Role, type JoinStatus } from './schema';
export { PERMISSIONS, ROLE_PERMISSIONS, NETWORK_PERMISSIONS, MFA_ROLES, ASSIGNABLE_ROLES, type Permission } from './permissions';
export { membershipsOf, membersOf, roleOf, setMembership, otherAdmins, removeMembership, changeRole, secretariatExists, secretariatUserIds, type MembershipRow } from './members';
export { inviteMember, findInvitation, acceptInvitation, type InvitationView, type AcceptResult } from './invitations';
export { joinRequestInput, submitJoinRequest, listJoinRequests, decideJoinRequest, type JoinRequestInput, type DecisionResult } from './join';
export { ensureSecretariatInvitation, setupLinkIssuedSince, DEMO_SECRETARIAT_SLUG, type SetupInvitation } from './bootstrap';
