/** HTTP-level platform pieces: admission control for the server, the JSON error answer, body limits. */
export { Admission, admissionLimitsFrom, type AdmissionLimits, type Release } from './admission';
export { errorResponse, type ErrorDetail } from './json-error';
export { publicOrigin } from './origin';
export { readFormWithin, isBodyTooLarge, DEFAULT_BODY_SIZE_LIMIT, DEFAULT_BODY_SIZE_BYTES, type FormBody } from './body-limit';
export { SUBMISSION_KEY_SLOT, newSubmissionKey, fillSubmissionKeys } from './submission-key';
