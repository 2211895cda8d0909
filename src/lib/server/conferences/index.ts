/** The case conferences module's door. */
export { caseConferences, conferenceParticipants, conferenceRecords, conferenceActions } from './schema';
