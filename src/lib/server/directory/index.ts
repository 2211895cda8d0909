/** The directory module's public door: other modules and routes use only what is exported here. */
export { searchPrograms, widerRange, suggestAlternatives, placeCentre, placeInWords, stationInWords, placesForStation, placesSharingName, placeTextKind, whenDays, unplacedCity, type FinderItem, type FinderResult, type PartialMatches, type Suggestion, type FinderClock } from './finder/index';
export { finderQuery, parseFinderParams, withoutEmptyParams, finderParamNames, MAX_QUERY_LENGTH, type FinderQuery } from './finder-query';
export { getProgram, lastChangedOf, lastEditOf, getOrganization, getPrograms, getOrganizations, publishedOrganizationIndex, publishedProgramPlaces, idParam, type ProgramDetail, type OrganizationDetail } from './read';
export { loadDemoRegion, isDirectoryEmpty, readDemoDataset } from './demo/load';
export { refreshUpcomingDates, replaceUpcomingDates, upcomingDatesStale, UPCOMING_HORIZON_DAYS } from './upcoming';
export { saveOrganization, saveTaxonomies } from './save';
export { expandSchedule, seriesDays, nextOccurrences, parseRecurrence, holidayName, HOLIDAYS_KNOWN_UNTIL, localDay, addDays, weekdayIndex, zonedInstant, WEEKDAY_CODES, type WeekdayCode, type ScheduleRule, type Occurrence, type RecurrenceSummary } from './schedule';
export { taxonomy, label, term, codes, type TaxonomyName, type Term } from './taxonomy';
export { organizationInput, programInput, type OrganizationInput, type ProgramInput } from './model';
export { createMemberOrganization, organizationNames, organizationIdBySlug, type NewOrganization } from './organizations';
export { organizationForStaff, setOrganizationPublished, locationsOf, programsOf, programForStaff, isOwnProgram, allOrganizations, reindexStalePrograms, type ProfileInput, type ProgramEdit, type ProgramForStaff, type LocationFields } from './listings';
export { ownOrganization, ownLocations, ownLocation, ownPrograms, editProfile, publishOrganization, showAttendanceOnPrograms, addLocation, editLocation, editProgram, publishProgram, type AfterProgramSave, type NotFound, type ProgramRefusal } from './editing';
export { readProfile, readLocation, readProgram, programValuesOf, emptyProgramValues, programChoices, UUID, type FieldErrors, type ProgramValues } from './listing-forms';
export { blankSchedule, fieldsOf, previewDates, laterHolidaySkips, holidaySkips, scheduleFrom, SCHEDULE_KINDS, ORDINALS, type ScheduleFields, type ScheduleErrors, type PreviewDate } from './schedule-form';
export { scheduleSeries, programSummaries, programIdsMatching, placeSummaries, calendarChoices, organizationsWithPublishedPrograms, programIdsWithSchedules, type ScheduleSeries, type ProgramSummary, type ProgramFilter } from './series';
export { referralTargets, referralTarget, programTitles, type ReferralTarget } from './referral-targets';
export { warmAnalyser } from './search/analyser';
export { warmThesaurus } from './search/thesaurus';
// ── spreadsheet imports (issue 16): the staff operations inside one caller's transaction ──────
export { editProfileIn, createOrganizationIn, addLocationIn, editLocationIn, editProgramIn, publishProgramIn, type DirectoryTx } from './editing';
export { splitAddress, prefectureByName, isValidCode, distanceKm, whyUnplaced, type SplitAddress, type Unplaced } from './places';
export { readScheduleWords, type RuleFromWords } from './schedule-words';
export { scheduleInput, locationInput, PROGRAM_AUDIENCES, type ScheduleInput, type LocationInput } from './model';
export { prefecturesInUse } from './areas';
export { findStation, stationsLoaded, type StationLookup } from './stations';
