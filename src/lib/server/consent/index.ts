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
