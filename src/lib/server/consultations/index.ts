/** The consultations module's door: the person's web channel, the counsellors' inbox and threads. */
export {
	consultationThreads,
	consultationMessages,
	consultationNotes,
	linePeople,
	lineWebhookEvents,
	consultationSecrets,
	consultationSettings,
	consultationRota,
	consultationAlerts,
	triageRuleVersions,
	ALERT_REASONS,
	ALERT_CHANNELS,
	type AlertReason,
	type AlertChannel,
	CHANNELS,
	DELIVERIES,
	type Delivery,
	THREAD_STATUSES,
	AUTHORS,
	type Channel,
	type ThreadStatus,
	type Author
} from './schema';
export { consultationInput, messageInput, noteInput, MESSAGE_MAX, NICKNAME_MAX, CONTACT_MAX, NOTE_MAX, type ConsultationInput } from './model';
export { startConsultation, threadByLink, addPersonMessage, type Started, type StartRefusal, type Received, type PersonThread, type ThreadMessage } from './intake';
export { inbox, inboxQuery, INBOX_VIEWS, INBOX_LIMIT, type Inbox, type InboxRow, type InboxView } from './inbox';
export { openThread, replyToThread, addNote, assignThread, setThreadStatus, setThreadTags, tagsInput, statusInput, TAGS, type StaffThread, type Note, type ThreadRefusal, type Replied } from './thread';
export { triage, type TriageResult, type CrisisCategory } from './triage';
export { activeTriage, ACTIVE_RULES_TTL_MS } from './triage/active';
export { listTriageRuleVersions, triageRuleVersion, saveTriageRuleVersion, activateTriageRuleVersion, type RuleVersions, type RuleVersionSummary, type RuleVersionDetail, type SaveRefusal, type ActivateRefusal } from './triage/versions';
export { rulesFromForm, FLOOR, type Measured, type SetFigures, type RulesDiff, type RulesForm } from './triage/review';
export { hotlinesFor, hotlinesForEveryone, type Hotline } from './hotlines';
export { addresseeName } from './window';
export { organizationConsultationFigures, exportOrganizationConsultationFigures, consultationFiguresByOrganization, consultationFiguresCsv, emptyConsultationFigures, minutesOf, type ConsultationFigures, type ConsultationPeriod, type ConsultationCsvLabels } from './figures';
export { recordStaffConsultation, staffEntryInput, type StaffEntryInput, type StaffEntered } from './staff-entry';
export { lineAccount, lineChannel, signedByLine, type LineAccount, type LineChannel } from './line/channel';
// issue 16: registrants' notices by LINE (wired into events at start-up)
export { linePushForNotices } from './line/answer';
export { receiveLineDelivery, lineCallbackSchema, LINE_EVENT_RETENTION_DAYS, type LineCallback, type LineDelivery, type LineRefusal } from './line/webhook';
export { consultationRetentionDays, emptyExpiredConsultations, DEFAULT_RETENTION_DAYS, type RetentionRun } from './retention';
export { networkConsultationFigures, exportNetworkConsultationFigures, networkConsultationFiguresCsv, type NetworkConsultationFigures, type SuppressedConsultationFigures, type NetworkConsultationCsvLabels, type NetworkFiguresRefusal } from './network-figures';
export { suppressCells, CONSULTATION_SUPPRESS_BELOW } from './suppress';
export { suppressTable, type TableCell, type TableSum } from './suppress';
export { rotaPage, setRota, setEscalationMinutes, newLineLinkCode, unlinkLine, rotaInput, minutesInput, managesRota, ESCALATION_MINUTES_DEFAULT, ESCALATION_MINUTES_MAX, LINE_LINK_MINUTES, type RotaPage, type RotaMember, type RotaRefusal, type RotaWriteRefusal, type LinkRefusal } from './rota';
export { alertUrgent, alertsSettled } from './alerts';
export { escalateUnopened, type EscalationRun } from './escalation';
export { autoReplySchema, autoReplyFromForm, autoReplyErrors, defaultAutoReply, firstReplyAt, replySettings, saveReplySettings, tokyoWallClock, WEEKDAYS, AUTO_REPLY_MAX } from './auto-reply';
export type { AutoReply, DayHours, FirstReply, ReplySettings, Weekday } from './auto-reply';
export { draftReply, draftingOn, llmEndpoint, DRAFT_TIMEOUT_MS, type DraftRefusal, type LlmEndpoint } from './drafts';
export { threadForReferral, type ThreadForReferral } from './referral-source';
export { threadOfOrganization, threadSourceByLink, type ConsentThread } from './consent-source';
export { tellLinePersonOfQuestion } from './line/question';
