/** The finder: text matching (text.ts), places (place.ts), filters (filters.ts), the search (search.ts) and what to offer when nothing matches (suggest.ts). */
export { searchPrograms, widerRange } from './search';
export { suggestAlternatives, type Suggestion } from './suggest';
export { placeCentre, placeInWords, stationInWords, placesForStation, placesSharingName, placeTextKind } from './place';
export { whenDays, unplacedCity } from './filters';
export type { FinderItem, FinderResult, FinderClock, PartialMatches } from './types';
