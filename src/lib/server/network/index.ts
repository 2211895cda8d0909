/** The network module's door: membership, roles, invitations, joining, the organisations the secretariat moderates, the audit viewers, the first secretariat admin. */
export { ROLES, JOIN_STATUSES, type Role, type JoinStatus } from './schema';
export { PERMISSIONS, ROLE_PERMISSIONS, NETWORK_PERMISSIONS, MFA_ROLES, ASSIGNABLE_ROLES, type Permission } from './permissions';
export { membershipsOf, membersOf, setMembership, secretariatExists, secretariatUserIds, membersPage, changeRole, removeMember, type MembershipRow, type MembersPage, type MemberRefusal, type RoleRefusal } from './members';
export { inviteMember, revokeInvitation, invitationByToken, acceptInvitation, type Invited, type InvitationView, type InvitationPage, type AcceptRefusal } from './invitations';
export { joinRequestInput, submitJoinRequest, joinRequestsPage, decideJoinRequest, type JoinRequestInput, type JoinRequestRow, type Submitted, type Decision } from './join';
export { networkOrganizations, moderateOrganization, type NetworkOrganization } from './organizations';
export { networkAuditPage, networkAuditCsv, organizationAuditPage, organizationAuditCsv, auditNames, type AuditViewInput, type OrganizationAuditPage } from './audit-viewer';
export { ensureSecretariatInvitation, setupLinkIssuedSince, DEMO_SECRETARIAT_SLUG, type SetupInvitation } from './bootstrap';
export { conferenceMembers, CONFERENCE_ROLES, type ConferenceMember } from './conference-members';
