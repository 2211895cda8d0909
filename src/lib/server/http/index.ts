/** HTTP-level platform pieces: admission control for the server, the JSON error answer. */
export { Admission, admissionLimitsFrom, type AdmissionLimits, type Release } from './admission';
export { errorResponse, type ErrorDetail } from './json-error';
export { publicOrigin } from './origin';
