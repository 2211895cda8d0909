/** The imports module's door: spreadsheets (.xlsx, .csv) into the directory, and the directory back out in the same columns. */
export { spreadsheetImports, IMPORT_KINDS, type ImportKind } from './schema';
export { startImport, pendingImport, chooseMapping, previewImport, confirmImport, importKinds, DEFAULT_FORM, type ImportScope, type PendingImport, type ImportSummary, type StartRefusal, type StepRefusal } from './imports';
export { exportDirectory, type ExportFormat, type ExportFile } from './export';
export { FIELDS, KIND_FIELDS, TITLES, type Field } from './columns';
export { MAX_FILE_BYTES, MAX_UPLOAD_BYTES, MAX_ROWS, MAX_COLUMNS, type ReadRefusal } from './read-file';
export { parseScheduleCell, scheduleText, type ImportedSchedule } from './schedule-text';
export type { Plan, RowPlan, Action, Entity, UnplacedPlace } from './plan';
export type { Issue } from './rows';
