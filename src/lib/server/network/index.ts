/** The network module's door: membership, roles, invitations, joining, the first secretariat admin. */
export { ROLES, JOIN_STATUSES, type Role, type JoinStatus } from './schema';
export { PERMISSIONS, ROLE_PERMISSIONS, NETWORK_PERMISSIONS, MFA_ROLES, ASSIGNABLE_ROLES, type Permission } from './permissions';
export { membershipsOf, setMembership, secretariatExists, secretariatUserIds, membersPage, changeRole, removeMember, type MembershipRow, type MembersPage, type MemberRefusal, type RoleRefusal } from './members';
export { inviteMember, revokeInvitation, findInvitation, acceptInvitation, type Invited, type InvitationView, type AcceptResult } from './invitations';
export { joinRequestInput, submitJoinRequest, listJoinRequests, decideJoinRequest, type JoinRequestInput, type DecisionResult } from './join';
export { ensureSecretariatInvitation, setupLinkIssuedSince, DEMO_SECRETARIAT_SLUG, type SetupInvitation } from './bootstrap';
