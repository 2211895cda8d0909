/** The participation module's public door: cards, check-in, head counts, attendance figures. */
export { participationCards, cardConsents, visits, AGE_BANDS, GENDERS, type AgeBand, type Gender } from './schema';
export { issueCard, cardAllowedAt, cardByToken, setCardConsents, revokeCard, parseDoorCode, showCardCode, ageBandOf, genderOf, CARD_PREFIX, REGISTRATION_PREFIX, type HeldCard, type CardRefusal, type CardChoiceRefusal } from './cards';
export { checkIn, type CheckInResult, type CheckedIn, type CheckInRefusal } from './checkin';
export { recordTaps, dayTotals, tapBatch, tapForm, undoForm, type Tap, type TapsOutcome, type TapRefusal } from './headcount';
export { attendanceFigures, suppressed, SUPPRESS_BELOW, type Figures, type FigureScope } from './figures';
export {
	readFiguresQuery,
	organizationFigures,
	exportOrganizationFigures,
	regionFigures,
	exportRegionFigures,
	figuresCsv,
	figuresSectionsCsv,
	publicProgramFigures,
	readRegionFilter,
	isFiltered,
	MAX_FILTER_LENGTH,
	type RegionFilter,
	type FiguresQuery,
	type FiguresRow,
	type FiguresInput
} from './figures-page';
export { cardSourceByLink, type ConsentCard } from './consent-source';
// issue 16: the door's list, one-tap arrival, undoing a head-count tap
export { arriveFromList, type ArriveRefusal } from './checkin';
export { undoTap, type UndoRefusal } from './headcount';
export { doorPage, DOOR_PAST_DAYS, DOOR_AHEAD_DAYS, type DoorPage, type DoorDate } from './door';
