/** Places as residents mean them: the offline registry of 都道府県・市区町村・区, postcodes, and address → coordinates. */
export { checkDigit, isValidCode, withCheckDigit, placeByCode, prefectureByName, areaCodesOf, municipalityOf, postcodeLookup, looksLikePostcode, resolvePlace, placesNamed, placesCalled, distanceKm, nearestPlace, nearestMunicipality, type Place, type PlaceKind, type ResolvedPlace } from './registry';
export { geocodeOffline, geocodeAddress, municipalityOfAddress, onlineGeocoder, whyUnplaced, type Geocoded, type PlaceAddress, type Unplaced } from './geocode';
export { splitAddress, type SplitAddress } from './address';
