/**
 * The /api/v1 operations, one contract each (endpoint.ts), and the /api/hsds ones
 * (hsds-contracts.ts, re-exported here): the route under src/routes/api/<path>/+server.ts parses
 * with these schemas and answers through them, and the OpenAPI documents list them in this order.
 */
import { z } from 'zod';
import { hsdsEndpoints } from './hsds-contracts';
import { badInput, defineEndpoint, refusal, overloaded, routeIdOf, staffGuard, staffNotFound, staffSession, throttled, tooLarge, type Endpoint } from './endpoint';
import { CheckInRequest, CheckInResult, ConsultationCreated, ConsultationRequest, FinderQuery, idPathParams, LineWebhookDelivery, LineWebhookReceived, OpenApiDocument, Organization, orgPathParams, Program, ProgramPage, TapBatch, TapsResult } from './schemas';

export const searchPrograms = defineEndpoint({
	method: 'GET',
	path: '/v1/programs',
	operationId: 'searchPrograms',
	summary: 'Search published programs',
	description: 'The query is the finder’s (components/schemas/FinderQuery, also in x-query-schema): lat and lng go together.',
	query: FinderQuery,
	responses: {
		200: { description: 'A page of programs', json: ProgramPage },
		400: badInput('Invalid parameters (code invalid_parameter, a detail per parameter)'),
		503: overloaded()
	}
});

export const getProgram = defineEndpoint({
	method: 'GET',
	path: '/v1/programs/{id}',
	operationId: 'getProgram',
	summary: 'One program with its places, schedules and next five dates',
	params: idPathParams,
	responses: {
		200: { description: 'The program', json: Program },
		400: badInput('Malformed id (code invalid_id)'),
		404: refusal('No published program has this id (code not_found)'),
		503: overloaded()
	}
});

export const getOrganization = defineEndpoint({
	method: 'GET',
	path: '/v1/organizations/{id}',
	operationId: 'getOrganization',
	summary: 'One organisation and its programs',
	params: idPathParams,
	responses: {
		200: { description: 'The organisation', json: Organization },
		400: badInput('Malformed id (code invalid_id)'),
		404: refusal('No published organisation has this id (code not_found)'),
		503: overloaded()
	}
});

export const checkIn = defineEndpoint({
	method: 'POST',
	path: '/v1/orgs/{orgId}/checkins',
	operationId: 'checkIn',
	summary: 'Check one person in at one of the organisation’s dates, by card or registration reference',
	security: staffSession,
	params: orgPathParams,
	body: CheckInRequest,
	responses: {
		200: { description: 'Already checked in (result `already`)', json: CheckInResult },
		201: { description: 'Checked in (result `checked_in`)', json: CheckInResult },
		400: badInput('Body not as described (code invalid_body), an unreadable code (code bad_code)'),
		413: tooLarge,
		...staffGuard,
		404: staffNotFound('No such date in this organisation (Error, code no_occurrence), or a malformed orgId (GuardError)'),
		409: refusal('Refused; the code says why: not_today, occurrence_cancelled, unknown_card, revoked, unknown_registration, registration_cancelled, waitlisted, other_occurrence'),
		503: overloaded()
	}
});

export const recordTaps = defineEndpoint({
	method: 'POST',
	path: '/v1/orgs/{orgId}/taps',
	operationId: 'recordTaps',
	summary: 'Record a batch of anonymous taps (idempotent by clientKey)',
	security: staffSession,
	params: orgPathParams,
	body: TapBatch,
	responses: {
		200: { description: 'Which taps were counted now and which before', json: TapsResult },
		400: badInput('Body not as described (code invalid_body), a tap at a date or time that cannot be (bad_occurrence, bad_time)'),
		413: tooLarge,
		...staffGuard,
		404: staffNotFound('A tap names another organisation’s program (Error, code foreign_program), or a malformed orgId (GuardError)'),
		503: overloaded()
	}
});

export const startConsultation = defineEndpoint({
	method: 'POST',
	path: '/v1/consultations',
	operationId: 'startConsultation',
	summary: 'Open an anonymous consultation; crisis triage answers the hotlines at once',
	description: 'No account and no session. The answer carries the person’s private thread link; `hotlines` is present only when triage matched (`urgent: true`). Submissions are limited per client network.',
	body: ConsultationRequest,
	responses: {
		201: { description: 'The thread was opened', json: ConsultationCreated },
		400: badInput('Body not as described (code invalid_body, a detail per field)'),
		413: tooLarge,
		404: refusal('No organisation has this organization_id (code unknown_organization)'),
		429: throttled('Too many consultations from this network (code throttled); try again after Retry-After seconds.'),
		503: overloaded('The network has no consultation window yet (code no_window), or the server is busy (code overloaded; try again after Retry-After seconds).')
	}
});

/** The header LINE signs its deliveries with. */
export const LineSignature = z.object({ 'X-Line-Signature': z.string().describe('base64(HMAC-SHA256(channel secret, raw body))') });

export const receiveLineWebhook = defineEndpoint({
	method: 'POST',
	path: '/v1/line/webhook',
	operationId: 'receiveLineWebhook',
	summary: 'The LINE Messaging API webhook (for the LINE platform, not for clients)',
	description: 'Only when a LINE channel is configured (LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN); otherwise 404. The raw body must carry a valid X-Line-Signature (base64 HMAC-SHA256 with the channel secret). Each webhookEventId is processed once; a redelivery is acknowledged and skipped.',
	headers: LineSignature,
	body: LineWebhookDelivery,
	responses: {
		200: { description: 'The events were stored (or had been before)', json: LineWebhookReceived },
		400: badInput('Signed, but not a LINE delivery (code invalid_body)'),
		401: refusal('X-Line-Signature missing or not matching the body (code invalid_signature)'),
		404: refusal('No LINE channel is configured (code not_found)'),
		503: overloaded('The network has no consultation window yet (code no_window; LINE redelivers), or the server is busy (code overloaded).')
	}
});

export const getOpenApiDocument = defineEndpoint({
	method: 'GET',
	path: '/v1/openapi.json',
	operationId: 'getOpenApiDocument',
	summary: 'This document: every operation under /api (/api/v1 and /api/hsds)',
	responses: {
		200: { description: 'The OpenAPI 3.1 document', json: OpenApiDocument },
		400: badInput(),
		503: overloaded()
	}
});

export * from './hsds-contracts';

/** Every operation under /api, in the document's order: /api/v1's, then /api/hsds's. */
export const endpoints: readonly Endpoint[] = [searchPrograms, getProgram, getOrganization, checkIn, recordTaps, startConsultation, receiveLineWebhook, getOpenApiDocument, ...hsdsEndpoints];

/**
 * The routes of the operations anyone may read: a GET with no security requirement. Their handlers
 * read the path, the query, the origin (absolute links) and the visitor's language, nothing of who
 * asks; so hooks.server.ts keeps their 200s in the public cache, keyed on those four.
 */
export const publicReadRoutes: ReadonlySet<string> = new Set(endpoints.filter((e) => e.method === 'GET' && !e.security).map(routeIdOf));
