/** The consent module's door: consents, the legal basis of a sharing, provision records (29条), the 協議会, the person's requests. */
export { dataSubjects, consents, provisionRecords, regionalCouncil, councilMembers, subjectRequests, SHARE_ITEMS, SUBJECT_SOURCES, CONSENT_CHANNELS, SHARING_BASES, SUBJECT_REQUEST_KINDS, SUBJECT_REQUEST_STATUSES, REACH_WAYS } from './schema';
export type { ShareItem, SubjectSource, ConsentChannel, SharingBasis, SubjectRequestKind, SubjectRequestStatus, ReachWay } from './schema';
export { shareItem, shareItems, sharingBasis, consentChannel, subjectSource, subjectRequestKind, basisReason, itemValue, MAY_BE_SENSITIVE, PROVISION_KEEP_YEARS, REASON_MIN, REASON_MAX, ITEM_VALUE_MAX } from './model';
export { subjectFor, consentInForce, consentsInForceFor, councilCovers, basisAllows, recordProvision, consentValuesBinding, provisionReasonBinding, type ConsentInForce, type ConsentValues, type ConsentRefusal, type BasisRefusal, type Provision } from './sharing';
export { councilDeclaration, publicCouncil, councilPage, declareCouncil, setCouncilMembers, endCouncil, councilDeclareInput, councilMembersInput, COUNCIL_NAME_MAX, COUNCIL_NAME_DEFAULT } from './council';
export type { CouncilDeclaration, CouncilMember, CouncilPage, CouncilRefusal, DeclareRefusal, MembersRefusal, EndRefusal } from './council';
export { networkProvisions, exportNetworkProvisions, organizationProvisions, exportOrganizationProvisions, readProvisionQuery, provisionsCsv, purgeExpiredProvisions, PROVISIONS_LIMIT } from './provisions';
export type { ProvisionQuery, ProvisionRow, NetworkProvisions, OrganizationProvisions, ProvisionsRefusal, ProvisionPurge } from './provisions';
export { consentStanding, type ConsentStanding } from './standing';
export {
	requestConsent,
	recordConsent,
	answerConsent,
	withdrawConsent,
	threadConsents,
	consentsByLink,
	recipientChoices,
	statusOf,
	CONSENT_ENTITY,
	type ConsentStatus,
	type StaffConsent,
	type PersonConsent,
	type RecipientChoices,
	type ProposalRefusal,
	type RecordRefusal,
	type AnswerRefusal,
	type WithdrawRefusal,
	type RecipientRefusal,
	type ValuesRefusal,
	type PersonValues
} from './consents';
export { myInformation, askOrganization, REQUEST_DUE_DAYS, type MyInformation, type Holding, type PersonProvision, type PersonRequest, type AskRefusal } from './mine';
export { subjectRequestsPage, openSubjectRequest, answerSubjectRequest, type RequestRow, type RequestRefusal } from './requests';
export { proposalInput, recordInput, answerInput, consentIdInput, staffWithdrawInput, subjectRequestInput, formValues, refusalField, PURPOSE_MAX, NAME_MAX, CONTACT_MAX, REQUEST_MAX, type ProposalInput, type RecordInput, type AnswerInput, type SubjectRequestInput } from './forms';
