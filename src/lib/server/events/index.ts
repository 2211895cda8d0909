/** The events module's public door: occurrences, the shared calendar, registrations, feeds and print. */
export { occurrences, registrations, OCCURRENCE_KINDS, OCCURRENCE_STATUSES, CAPACITY_UNITS, REGISTRATION_STATUSES, type OccurrenceKind, type OccurrenceStatus, type CapacityUnit, type RegistrationStatus } from './schema';
export { syncOccurrences, syncAllOccurrences, occurrencesStale, occurrenceOf, occurrenceById, occurrencesOfProgram, nextOccurrencesOfProgram, MIN_DATES_AHEAD, OCCURRENCE_HORIZON_DAYS, type OccurrenceRow, type OccurrenceSettings, type OneOffInput } from './occurrences';
export {
	calendarQuery,
	parseCalendarParams,
	calendarParamNames,
	viewRange,
	monthAfter,
	monthBefore,
	programFilterOf,
	calendarEntries,
	calendarEntry,
	publicCalendarEntry,
	overlapsFor,
	overlapsAmong,
	stageOf,
	type DateStage,
	PURPOSES,
	PURPOSE_CODES,
	CALENDAR_VIEWS,
	type CalendarQuery,
	type CalendarView,
	type CalendarEntry,
	type Overlap,
	type Purpose
} from './calendar';
export { staffOccurrences, datePage, changeDateSettings, cancelDate, restoreDate, moveDate, deleteDate, addOneOffDate, type RegistrationCount, type StaffOccurrence, type DatePage, type DateRefusal } from './dates';
export { readMove, readSettings, readOneOff, readCancel, windowValue, SETTINGS_FROM, type SettingsFrom, type OccurrenceFieldErrors, type OccurrenceErrorKey, type MoveValues, type SettingsValues, type OneOffValues } from './staff-input';
export { programsFeed, occurrenceFeed, tokyoTime } from './feed';
export { buildCalendar, type IcalEvent } from './ical';
export { icsResponse } from './feed-response';
export {
	readRegistration,
	register,
	availability,
	registrationByToken,
	cancelByToken,
	cancelRegistration,
	listRegistrations,
	exportRegistrations,
	registrationByReference,
	registrationOfCardAt,
	markRegistrationAttended,
	showReference,
	parseReference,
	type RegistrationErrorKey,
	type Registered,
	type RegisterRefusal,
	type RegisterResult,
	type RegisterInput,
	type RegistrationList,
	type Promoted,
	type Availability,
	type RegistrationListItem
} from './registrations';
export { heldSessionCounts, heldSessionDays } from './held';
export { sendDueReminders } from './reminders';
export { registrationForReferral, type RegistrationForReferral } from './referral-source';
export { registrationOfOrganization, registrationSourceByLink, type ConsentRegistration } from './consent-source';
// ── program registration defaults, questions and retention (issue 16) ──
export {
	programDefaults,
	questionsOfProgram,
	applyProgramDefaults,
	copyRegistrationDefaults,
	defaultsPreview,
	registrationDefaultsPage,
	saveRegistrationDefaults,
	followProgramDate,
	windowState,
	windowFor,
	NO_DEFAULTS,
	type RegistrationDefaults,
	type DefaultsDate,
	type DefaultsPreview,
	type DefaultsPage
} from './defaults';
export { questionSchema, questionsSchema, storedQuestions, questionRowsOf, readQuestions, rowOf, blankQuestionRow, MAX_QUESTIONS, MAX_SUB_FIELDS, MAX_ROWS, type Question, type SubField, type QuestionRow, type QuestionRowErrors, type DefinitionErrorKey } from './questions';
export { registrationsCsv } from './registrations-csv';
export { answersSchema, readAnswers, answerName, answerText, rowsFor, rowsSent, type Answer, type AnswerDocument, type AnswerError, type AnswerErrorKey } from './answers';
export { readDefaults, type DefaultsValues, type DefaultsFieldErrors, type DefaultsErrorKey } from './defaults-input';
export { deleteExpiredRegistrations, registrationRetentionDays, DEFAULT_REGISTRATION_RETENTION_DAYS, type RegistrationRetentionRun } from './retention';
// issue 16: telling registrants (mail, LINE, SMS), linking LINE to a registration
export { useLineForNotices, linePusher, smsSender, useSmsSender, recordingSmsSender, mobileNumberOf, type SmsSender, type RecordingSms, type LineNoticePusher, type SentResult } from './notice-senders';
export { noticesSettled, noticesOfDate, noticesOfRegistrations, peopleToCall, channelsFor, type NoticeSeen, type PersonToCall, type ChangeKind } from './notices';
export { newRegistrationLineCode, linkRegistrationLine, normaliseRegistrationCode, lineCodeExpiry, LINE_CODE_DAYS, type LineCodeRefusal } from './line-link';
export { retryFailedNotices, failedNotices, MAX_NOTICE_ATTEMPTS, RETRY_PAUSE_MS, type FailedNotices, type RetryRefusal } from './notice-retry';
export { registrationNotices, NOTICE_KINDS, NOTICE_CHANNELS, type NoticeKind, type NoticeChannel } from './schema';
// issue 16: the door's list (check-in as good as the paper sheet)
export { expectedAt, registrationForArrival, type ExpectedPerson } from './expected';
export { sendConfirmation, sendPromotion, whenOf } from './registration-mail';
