/** Stations as places (issue 15): the list the operator loads from 国土数値情報 (N02), and 「○○駅」 found in it. */
export { readN02, decodeN02, middleOf, N02_SOURCE, type StationEntry, type N02Result } from './n02';
export { replaceStations, type StationSource, type LoadReport } from './load';
export { findStation, stationsLoaded, stationWords, type Station, type StationChoice, type StationLookup } from './find';
export { stationNameKey, stationLabel } from './name';
