/** Rules for what crosses into the app from a request: input characters, form bodies, dates, redirects, record ids. */
export { refusalOf, hasControlCharacter, spaceForControlCharacters, mediaType, SIGNED_BODY_ENDPOINTS, type InputRefusal } from './input';
export { DAY_RANGE, isRealDay, isDayInRange, dayInRange } from './dates';
export { sameSiteTarget } from './redirect';
export { UUID, uuid, fieldErrors, fieldMessages, queryOf, notice, formOf, named, sentFields, type NamedFields } from './forms';
