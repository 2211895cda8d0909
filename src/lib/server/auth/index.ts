/** The auth module's door: accounts, sessions, second factor, throttling, the actor. */
export { can, accessContext, roleIn, isSecretariat, requiresMfa, type Actor, type MembershipView } from './actor';
export { ROLES, PERMISSIONS, ROLE_PERMISSIONS, NETWORK_PERMISSIONS, MFA_ROLES, ASSIGNABLE_ROLES, type Role, type Permission } from './permissions';
export { provideStanding, type StandingSource } from './standing';
export { passwordProblem, newPasswordPair, hashPassword, verifyPassword, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, type PasswordProblem } from './password';
export { normalizeEmail, tokenDigest, isTokenShaped, newToken } from './tokens';
export { createSession, resolveSession, deleteSession, deleteUserSessions, listUserSessions, purgeExpiredSessions, IDLE_TIMEOUT_MS, ABSOLUTE_LIFETIME_MS, type ClientInfo, type SessionState } from './sessions';
export {
	logIn,
	completeSecondFactor,
	requestPasswordReset,
	resetPassword,
	changePassword,
	confirmPassword,
	secondFactorStatus,
	enrolmentKey,
	newEnrolmentKey,
	confirmEnrolment,
	newRecoveryCodes,
	turnOffTotp,
	updateDisplayName,
	logOut,
	logOutEverywhere,
	createUser,
	createEmailToken,
	findEmailToken,
	peopleByIds,
	emailsOf,
	userIdByEmail,
	pendingInvitations,
	revokeInvitation,
	openInvitation,
	voidInvitationsFor,
	invitationIssuedSince,
	consumeEmailToken,
	INVITATION_LIFETIME_MS,
	type LoginResult,
	type SecondFactorResult,
	type ResetRequestResult,
	type Throttled,
	type PasswordCheck,
	type PasswordRefusal
} from './accounts';
export { newTotpSecret, enrolmentData, matchingStep, pendingTotpSecret, renewTotpSecret, confirmTotpEnrolment, enableTotp, disableTotp, verifyTotp, replaceRecoveryCodes, useRecoveryCode, recoveryCodeStatus } from './totp';
export { Throttle, throttle, networkOf, RULES as THROTTLE_RULES, type ThrottleScope, type Attempt } from './throttle';
