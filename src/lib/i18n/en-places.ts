/** English UI text: places in the finder (merged into ./en.ts). */
import type { placesJa } from './ja-places';

export const placesEn: Record<keyof typeof placesJa, string> = {
	'staff.place.coordinatesApproximate': 'The latitude and longitude now are a rough position from the city or ward. Replace them with the exact position if you know it.',
	'search.place': 'Place (city, ward or postcode)',
	'search.placeHint': 'e.g. Setagaya-ku, Sapporo-shi, 160-0023',
	'search.radius': 'Search within',
	'search.radius.5': '5 km',
	'search.radius.10': '10 km',
	'search.radius.30': '30 km',
	'search.radius.pref': 'the same prefecture',
	'search.here': 'where you are',
	'search.placeOrder.banded': 'Nearest to {place} first, in steps of 2, 5, 10 and 30 km; within each step, best match first.',
	'search.placeOrder.distance': 'Nearest to {place} first.',
	'search.placeOrder.next': 'Near {place}, soonest first.',
	'search.placeScope.km': 'Showing: {place} itself and up to {km} km from it.',
	'search.placeScope.pref': 'Showing: the prefecture of {place}.',
	'search.placeScope.point': 'Showing: up to {km} km from {place}.',
	'search.widenTo': 'Search within {label}',
	'search.suggest.radius': 'Search within {label} ({count})',
	'search.distanceApprox': 'roughly {km} km',
	'search.distanceApproxUnder1': 'roughly under 1 km',
	'search.distanceApproxNote': '“Roughly” distances are to the city or ward office (or a similar point) of places whose exact spot is not known.',
	'search.unknownPostcode': 'We could not find the postcode “{place}”, so the search ignores it.',
	'search.unknownStation': 'Searching by station name is not available yet, so the search ignores “{place}”. Please enter the city, ward or postcode where it is.',
	'search.sameNamePlaces': 'You can also search near a city or town of the same name (the station is not always in it).',
	'search.sameNamePlace': 'Search near {place}'
};
