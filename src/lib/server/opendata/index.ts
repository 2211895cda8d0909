/** Open data: what a city's portal or an aggregator downloads (the licence, the イベント一覧 CSV). */
export { eventListCsv, EVENT_LIST_COLUMNS, type EventListWords } from './event-list';
export { DIRECTORY_LICENCE } from './licence';
