/**
 * The authorization matrix: every route × every role × own organisation / other organisation /
 * anonymous, against the built app over HTTP, on whichever server the suite runs (embedded or
 * DATABASE_URL). The table is explicit, one row per probe with every principal's outcome (as
 * GitLab writes its permission tables): a new route without an entry fails the first test.
 * Probes marked `idor` put another organisation's record id under one's own organisation's path;
 * afterwards, organisation B's records must be exactly as before.
 */
import { readdirSync, statSync } from 'node:fs';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../helpers/db';
import { startApp, type RunningApp } from '../helpers/app';
import { seedCast, PRINCIPALS, type Cast, type Principal } from '../helpers/people';
import { makeOrganization, makePlace, makeProgram, sealedFor } from '../helpers/factories';
import type { Database } from '../../src/lib/server/db';
import { allTaxonomies, allTerms } from '../../src/lib/server/opendata';

type Outcome = 'ok' | 'login' | 'mfa' | 'deny' | 'hidden';

/** Outcomes in PRINCIPALS order: anonymous, volunteer, counsellor, staff, org_admin, secretariat, unenrolled. */
type Row = [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

interface Ids {
	org: string;
	program: string;
	location: string;
	/** A member of the organisation (its admin). */
	member: string;
	joinRequest: string;
	/** A one-off occurrence of `program`, open for registration, with one registration. */
	occurrence: string;
	registration: string;
	/** A consultation thread addressed to the organisation, and its person's private link. */
	thread: string;
	threadToken: string;
	/** A case conference of the organisation, in its window, its admin named; and one of its agreed actions. */
	conference: string;
	conferenceAction: string;
	/** Referrals (issue 14): one this organisation sent, one it received, one between two others (B → C for A). */
	referralSent?: string;
	referralReceived?: string;
	referralElsewhere?: string;
	/** A person's request (subject_requests) to the organisation, about that thread. */
	subjectRequest: string;
}

interface Probe {
	/** own: organisation A's ids; other: organisation B's; idor: A's path with B's record ids. */
	target: 'own' | 'other' | 'idor' | 'none';
	method: 'GET' | 'POST';
	path: (ids: Ids, idor: Ids) => string;
	body?: (ids: Ids, idor: Ids) => Record<string, string>;
	expect: Row;
}

const ALL_OK: Row = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'];
const get = (target: Probe['target'], p: Probe['path'], expect: Row): Probe => ({ target, method: 'GET', path: p, expect });
const post = (target: Probe['target'], p: Probe['path'], body: Probe['body'], expect: Row): Probe => ({ target, method: 'POST', path: p, body, expect });
const NIL = '00000000-0000-4000-8000-000000000000';

/** Editing the directory: staff and admins of the organisation, and the secretariat. */
const EDIT_OWN: Row = ['login', 'deny', 'deny', 'ok', 'ok', 'ok', 'mfa'];
const EDIT_OTHER: Row = ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'];
/** Another organisation's record under one's own path: not found, for everyone who gets that far. */
const EDIT_IDOR: Row = ['login', 'deny', 'deny', 'hidden', 'hidden', 'hidden', 'mfa'];
/** Consultations: the organisation's counsellors only (a second factor required), not the secretariat elsewhere. */
const CONSULT_OWN: Row = ['login', 'deny', 'ok', 'deny', 'deny', 'deny', 'mfa'];
const CONSULT_OTHER: Row = ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa'];
const CONSULT_IDOR: Row = ['login', 'deny', 'hidden', 'deny', 'deny', 'deny', 'mfa'];
/** The organisation's figures page: each part for who may see it (counsellors: its consultations). */
const FIGURES_OWN: Row = ['login', 'deny', 'ok', 'ok', 'ok', 'ok', 'mfa'];
/** Consultation settings (first reply, drafts): the organisation's admin changes them, its counsellors only read them. */
const CONSULT_SETTINGS_READ: Row = ['login', 'deny', 'ok', 'deny', 'ok', 'deny', 'mfa'];
const CONSULT_SETTINGS_WRITE: Row = ['login', 'deny', 'deny', 'deny', 'ok', 'deny', 'mfa'];
/** Case conferences (conferences.take_part / .manage): the organisation's staff, admins and counsellors; not volunteers, not the secretariat elsewhere. */
const CONF_OWN: Row = ['login', 'deny', 'ok', 'ok', 'ok', 'deny', 'mfa'];
const CONF_OTHER: Row = ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa'];
const CONF_IDOR: Row = ['login', 'deny', 'hidden', 'hidden', 'hidden', 'deny', 'mfa'];
/** A complete, valid program form: so that an IDOR save is refused for the id, not for the input. */
const VALID_PROGRAM = { title: '乗っ取り', forms: 'ibasho', languages: 'ja', costKind: 'free', joinMethod: 'no_registration', deliveryMode: 'in_person', status: 'active', scheduleCount: '0' };

/** Referrals: the organisation's counsellors, staff and admins (sending and receiving); never the secretariat elsewhere; a third organisation's referral is not there. */
const REF_OWN: Row = ['login', 'deny', 'ok', 'ok', 'ok', 'deny', 'mfa'];
const REF_OTHER: Row = ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa'];
const REF_HIDDEN: Row = ['login', 'deny', 'hidden', 'hidden', 'hidden', 'deny', 'mfa'];

// prettier-ignore
const MATRIX: Record<string, Probe[]> = {
	// ── public pages and API: the same for everyone ──────────────────────────────────────────────
	'/': [get('none', () => '/', ALL_OK)],
	'/search': [get('none', () => '/search?q=こども食堂', ALL_OK)],
	'/calendar.ics': [get('none', () => '/calendar.ics?purpose=food', ALL_OK)],
	'/programs/[id]/calendar.ics': [get('own', (i) => `/programs/${i.program}/calendar.ics`, ALL_OK)],
	'/organizations/[id]/calendar.ics': [get('own', (i) => `/organizations/${i.org}/calendar.ics`, ALL_OK)],
	'/events/[id]/calendar.ics': [get('own', (i) => `/events/${i.occurrence}/calendar.ics`, ALL_OK)],
	'/events/[id]': [get('own', (i) => `/events/${i.occurrence}`, ALL_OK), get('other', (i) => `/events/${i.occurrence}`, ALL_OK)],
	// A wrong bearer link is a 404 for everyone: no session gives access to a resident's registration.
	// Its actions (cancel, the LINE code of issue 16) open the registration through the same bearer-link guard first
	// (another probe here would spend the network's bad-link allowance the /card probes below count on).
	'/registrations/[token]': [get('none', () => '/registrations/wrong-link-aaaaaaaaaaaaaaaaaaaaaaa', ['hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden'])],
	'/card': [get('none', () => '/card', ALL_OK), post('none', () => '/card', () => ({}), ALL_OK)],
	'/card/[token]': [get('none', () => '/card/wrong-link-aaaaaaaaaaaaaaaaaaaaaaa', ['hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden'])],
	'/programs/[id]/flyer.pdf': [get('own', (i) => `/programs/${i.program}/flyer.pdf`, ALL_OK)],
	'/calendar/print.pdf': [get('none', () => '/calendar/print.pdf', ALL_OK)],
	'/opendata': [get('none', () => '/opendata', ALL_OK)],
	'/opendata/event-list.csv': [get('none', () => '/opendata/event-list.csv', ALL_OK)],
	'/opendata/facilities.csv': [get('none', () => '/opendata/facilities.csv', ALL_OK)],
	'/opendata/hsds.json': [get('none', () => '/opendata/hsds.json', ALL_OK)],
	'/opendata/hsds-tabular.zip': [get('none', () => '/opendata/hsds-tabular.zip', ALL_OK)],
	'/calendar': [get('none', () => '/calendar', ALL_OK), get('own', (i) => `/calendar?view=list&organization=${i.org}`, ALL_OK)],
	'/programs/[id]': [get('own', (i) => `/programs/${i.program}`, ALL_OK), get('other', (i) => `/programs/${i.program}`, ALL_OK)],
	'/organizations/[id]': [get('own', (i) => `/organizations/${i.org}`, ALL_OK), get('other', (i) => `/organizations/${i.org}`, ALL_OK)],
	'/settings': [post('none', () => '/settings?/lang', () => ({ lang: 'en', back: '/' }), ALL_OK)],
	'/healthz': [get('none', () => '/healthz', ALL_OK)],
	'/api/v1/programs': [get('none', () => '/api/v1/programs?q=相談', ALL_OK)],
	'/api/v1/programs/[id]': [get('other', (i) => `/api/v1/programs/${i.program}`, ALL_OK)],
	'/api/v1/organizations/[id]': [get('other', (i) => `/api/v1/organizations/${i.org}`, ALL_OK)],
	'/api/v1/openapi.json': [get('none', () => '/api/v1/openapi.json', ALL_OK)],
	'/api/hsds': [get('none', () => '/api/hsds', ALL_OK)],
	'/api/hsds/services': [get('none', () => '/api/hsds/services?per_page=5', ALL_OK)],
	'/api/hsds/services/[id]': [get('other', (i) => `/api/hsds/services/${i.program}`, ALL_OK)],
	'/api/hsds/organizations': [get('none', () => '/api/hsds/organizations?per_page=5', ALL_OK)],
	'/api/hsds/organizations/[id]': [get('other', (i) => `/api/hsds/organizations/${i.org}`, ALL_OK)],
	'/api/hsds/service_at_locations': [get('none', () => '/api/hsds/service_at_locations?per_page=5', ALL_OK)],
	// No such program-at-a-place: 404 for everyone (the real ones are in src/routes/api/hsds/hsds.http.test.ts).
	'/api/hsds/service_at_locations/[id]': [get('none', () => `/api/hsds/service_at_locations/${NIL}`, ['hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden'])],
	'/api/hsds/taxonomies': [get('none', () => '/api/hsds/taxonomies', ALL_OK)],
	'/api/hsds/taxonomies/[id]': [get('none', () => `/api/hsds/taxonomies/${allTaxonomies()[0].id}`, ALL_OK)],
	'/api/hsds/taxonomy_terms': [get('none', () => '/api/hsds/taxonomy_terms', ALL_OK)],
	'/api/hsds/taxonomy_terms/[id]': [get('none', () => `/api/hsds/taxonomy_terms/${allTerms()[0].id}`, ALL_OK)],
	'/api/hsds/openapi.json': [get('none', () => '/api/hsds/openapi.json', ALL_OK)],
	'/join': [get('none', () => '/join', ALL_OK), post('none', () => '/join', () => ({ organizationName: '' }), ALL_OK)],
	'/reset': [get('none', () => '/reset', ALL_OK)],
	'/reset/[token]': [get('none', () => '/reset/not-a-real-token-aaaaaaaaaaaaaaaa', ALL_OK)],
	'/invite/[token]': [get('none', () => '/invite/not-a-real-token-aaaaaaaaaaaaaaaa', ALL_OK)],
	// The outbox page exists only in development: the built app answers 404 to everyone.
	'/dev/outbox': [get('none', () => '/dev/outbox', ['hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden'])],

	// ── signing in ───────────────────────────────────────────────────────────────────────────────
	//                                          anonymous volunteer counsellor staff  org_admin secretariat unenrolled
	'/login': [get('none', () => '/login', ALL_OK)],
	// Only a session waiting for its second factor may be here; everyone else is sent to /login.
	'/login/2fa': [get('none', () => '/login/2fa', ['login', 'login', 'login', 'login', 'login', 'login', 'login'])],
	'/logout': [get('none', () => '/logout', ALL_OK)],
	'/account': [get('none', () => '/account', ['login', 'ok', 'ok', 'ok', 'ok', 'ok', 'mfa'])],
	// Reachable before the required second factor is set up: that is where it is set up.
	'/account/2fa': [get('none', () => '/account/2fa', ['login', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'])],

	// ── the directory as organisations edit it ───────────────────────────────────────────────────
	'/staff': [get('none', () => '/staff', ['login', 'ok', 'ok', 'ok', 'ok', 'ok', 'mfa'])],
	'/staff/orgs/[orgId]': [
		get('own', (i) => `/staff/orgs/${i.org}`, EDIT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}`, EDIT_OTHER),
		// An empty name: allowed callers get the form back (400); nothing changes.
		post('own', (i) => `/staff/orgs/${i.org}?/save`, () => ({ name: '' }), EDIT_OWN),
		post('other', (i) => `/staff/orgs/${i.org}?/save`, () => ({ name: '' }), EDIT_OTHER),
		// (Run on A: the secretariat may publish and unpublish B too, but B must stay byte-identical here.)
		// A choice that is neither yes nor no: allowed callers get the form back (400); nothing changes.
		post('own', (i) => `/staff/orgs/${i.org}?/attendance`, () => ({ show: 'maybe' }), EDIT_OWN),
		post('other', (i) => `/staff/orgs/${i.org}?/attendance`, () => ({ show: 'maybe' }), EDIT_OTHER),
		post('own', (i) => `/staff/orgs/${i.org}?/unpublish`, () => ({}), EDIT_OWN),
		post('own', (i) => `/staff/orgs/${i.org}?/publish`, () => ({}), EDIT_OWN)
	],
	'/staff/orgs/[orgId]/programs': [get('own', (i) => `/staff/orgs/${i.org}/programs`, EDIT_OWN), get('other', (i) => `/staff/orgs/${i.org}/programs`, EDIT_OTHER)],
	'/staff/orgs/[orgId]/programs/new': [
		get('own', (i) => `/staff/orgs/${i.org}/programs/new`, EDIT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/programs/new`, EDIT_OTHER),
		post('other', (i) => `/staff/orgs/${i.org}/programs/new?/save`, () => ({ title: '' }), EDIT_OTHER),
		post('own', (i) => `/staff/orgs/${i.org}/programs/new?/preview`, () => ({ title: 'x' }), EDIT_OWN)
	],
	'/staff/orgs/[orgId]/programs/[programId]': [
		get('own', (i) => `/staff/orgs/${i.org}/programs/${i.program}`, EDIT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/programs/${i.program}`, EDIT_OTHER),
		get('idor', (i, x) => `/staff/orgs/${i.org}/programs/${x.program}`, EDIT_IDOR),
		post('other', (i) => `/staff/orgs/${i.org}/programs/${i.program}?/save`, () => ({ title: '' }), EDIT_OTHER),
		post('idor', (i, x) => `/staff/orgs/${i.org}/programs/${x.program}?/save`, () => VALID_PROGRAM, EDIT_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/programs/${x.program}?/unpublish`, () => ({}), EDIT_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/programs/${x.program}?/publish`, () => ({}), EDIT_IDOR),
		get('own', (i) => `/staff/orgs/${i.org}/programs/not-a-uuid`, EDIT_IDOR)
	],
	// A program's registration defaults for its dates (issue 16): events.manage, like one date's settings.
	'/staff/orgs/[orgId]/programs/[programId]/registration': [
		get('own', (i) => `/staff/orgs/${i.org}/programs/${i.program}/registration`, EDIT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/programs/${i.program}/registration`, EDIT_OTHER),
		get('idor', (i, x) => `/staff/orgs/${i.org}/programs/${x.program}/registration`, EDIT_IDOR),
		// A bad capacity: allowed callers get the form back (400), nothing saved.
		post('own', (i) => `/staff/orgs/${i.org}/programs/${i.program}/registration?/preview`, () => ({ capacity: 'many', questionCount: '0' }), EDIT_OWN),
		post('other', (i) => `/staff/orgs/${i.org}/programs/${i.program}/registration?/save`, () => ({ capacity: 'many', questionCount: '0' }), EDIT_OTHER),
		// B's program under A's path, with a valid form: not found, B's dates unchanged.
		post('idor', (i, x) => `/staff/orgs/${i.org}/programs/${x.program}/registration?/save`, () => ({ registrationOpen: 'on', capacity: '10', capacityUnit: 'groups', questionCount: '0' }), EDIT_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/programs/${x.program}/registration?/preview`, () => ({ registrationOpen: 'on', capacity: '10', capacityUnit: 'groups', questionCount: '0' }), EDIT_IDOR)
	],
	'/staff/orgs/[orgId]/locations': [get('own', (i) => `/staff/orgs/${i.org}/locations`, EDIT_OWN), get('other', (i) => `/staff/orgs/${i.org}/locations`, EDIT_OTHER)],
	'/staff/orgs/[orgId]/locations/new': [
		get('own', (i) => `/staff/orgs/${i.org}/locations/new`, EDIT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/locations/new`, EDIT_OTHER),
		post('other', (i) => `/staff/orgs/${i.org}/locations/new?/save`, () => ({ name: '' }), EDIT_OTHER)
	],
	'/staff/orgs/[orgId]/locations/[locationId]': [
		get('own', (i) => `/staff/orgs/${i.org}/locations/${i.location}`, EDIT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/locations/${i.location}`, EDIT_OTHER),
		get('idor', (i, x) => `/staff/orgs/${i.org}/locations/${x.location}`, EDIT_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/locations/${x.location}?/save`, () => ({ name: '乗っ取り', prefecture: '東京都' }), EDIT_IDOR)
	],
	// ── spreadsheet imports and exports (issue 16): an organisation's own, the secretariat's region-wide ──
	'/staff/orgs/[orgId]/import': [
		get('own', (i) => `/staff/orgs/${i.org}/import`, EDIT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/import`, EDIT_OTHER),
		// No file: allowed callers get the form back with a message (400), nothing is kept.
		post('other', (i) => `/staff/orgs/${i.org}/import?/upload`, () => ({ kind: 'programs' }), EDIT_OTHER)
	],
	// A pending import is its author's: any other id is not found, for everyone who gets that far.
	'/staff/orgs/[orgId]/import/[importId]': [get('own', (i) => `/staff/orgs/${i.org}/import/${NIL}`, EDIT_IDOR), post('own', (i) => `/staff/orgs/${i.org}/import/${NIL}?/map`, () => ({ columnCount: '1', 'column.0': 'title' }), EDIT_IDOR)],
	'/staff/orgs/[orgId]/import/[importId]/preview': [get('own', (i) => `/staff/orgs/${i.org}/import/${NIL}/preview`, EDIT_IDOR), post('own', (i) => `/staff/orgs/${i.org}/import/${NIL}/preview?/confirm`, () => ({}), EDIT_IDOR)],
	'/staff/orgs/[orgId]/export.xlsx': [get('own', (i) => `/staff/orgs/${i.org}/export.xlsx?kind=programs`, EDIT_OWN), get('other', (i) => `/staff/orgs/${i.org}/export.xlsx?kind=places`, EDIT_OTHER)],
	'/staff/orgs/[orgId]/export.csv': [get('own', (i) => `/staff/orgs/${i.org}/export.csv?kind=programs&encoding=shift_jis`, EDIT_OWN), get('other', (i) => `/staff/orgs/${i.org}/export.csv?kind=programs`, EDIT_OTHER)],
	'/staff/network/import': [
		get('none', () => '/staff/network/import', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('none', () => '/staff/network/import?/upload', () => ({ kind: 'programs' }), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])
	],
	'/staff/network/import/[importId]': [
		get('none', () => `/staff/network/import/${NIL}`, ['login', 'deny', 'deny', 'deny', 'deny', 'hidden', 'mfa']),
		post('none', () => `/staff/network/import/${NIL}?/map`, () => ({ columnCount: '1', 'column.0': 'title' }), ['login', 'deny', 'deny', 'deny', 'deny', 'hidden', 'mfa'])
	],
	'/staff/network/import/[importId]/preview': [
		get('none', () => `/staff/network/import/${NIL}/preview`, ['login', 'deny', 'deny', 'deny', 'deny', 'hidden', 'mfa']),
		post('none', () => `/staff/network/import/${NIL}/preview?/confirm`, () => ({}), ['login', 'deny', 'deny', 'deny', 'deny', 'hidden', 'mfa'])
	],
	'/staff/network/export.xlsx': [get('none', () => '/staff/network/export.xlsx?kind=organizations', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])],
	'/staff/network/export.csv': [get('none', () => '/staff/network/export.csv?kind=places', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])],
	'/staff/network/organizations': [
		get('none', () => '/staff/network/organizations', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		// No such organisation: the secretariat gets 404, nobody else gets that far.
		post('none', () => '/staff/network/organizations?/unpublish', () => ({ organizationId: NIL }), ['login', 'deny', 'deny', 'deny', 'deny', 'hidden', 'mfa'])
	],

	// ── members of an organisation ───────────────────────────────────────────────────────────────
	'/staff/orgs/[orgId]/members': [
		get('own', (i) => `/staff/orgs/${i.org}/members`, ['login', 'deny', 'deny', 'deny', 'ok', 'ok', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/members`, ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		// An empty address: allowed callers get the form back with a message (400), nobody is invited.
		post('own', (i) => `/staff/orgs/${i.org}/members?/invite`, () => ({ email: '', role: 'staff' }), ['login', 'deny', 'deny', 'deny', 'ok', 'ok', 'mfa']),
		post('other', (i) => `/staff/orgs/${i.org}/members?/invite`, () => ({ email: '', role: 'staff' }), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		// B's admin under A's path: not a member of A, so there is nothing to change or remove.
		post('idor', (i, x) => `/staff/orgs/${i.org}/members?/remove`, (_, x) => ({ userId: x.member }), ['login', 'deny', 'deny', 'deny', 'hidden', 'hidden', 'mfa']),
		post('idor', (i, x) => `/staff/orgs/${i.org}/members?/role`, (_, x) => ({ userId: x.member, role: 'volunteer' }), ['login', 'deny', 'deny', 'deny', 'hidden', 'hidden', 'mfa']),
		// B's only admin cannot be removed, even by the secretariat (400: the organisation would have no admin).
		post('other', (i) => `/staff/orgs/${i.org}/members?/remove`, (i) => ({ userId: i.member }), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('own', (i) => `/staff/orgs/${i.org}/members?/revoke`, () => ({ invitationId: '0'.repeat(64) }), ['login', 'deny', 'deny', 'deny', 'hidden', 'hidden', 'mfa'])
	],

	// ── the audit log: organisation admins see their organisation's, the secretariat everything ──
	'/staff/orgs/[orgId]/audit': [
		get('own', (i) => `/staff/orgs/${i.org}/audit`, ['login', 'deny', 'deny', 'deny', 'ok', 'ok', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/audit`, ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])
	],
	'/staff/orgs/[orgId]/audit.csv': [
		get('own', (i) => `/staff/orgs/${i.org}/audit.csv`, ['login', 'deny', 'deny', 'deny', 'ok', 'ok', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/audit.csv`, ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])
	],
	// ── dates (events.manage: staff, admins, the secretariat) ───────────────────────────────────────
	'/staff/orgs/[orgId]/events': [get('own', (i) => `/staff/orgs/${i.org}/events`, EDIT_OWN), get('other', (i) => `/staff/orgs/${i.org}/events`, EDIT_OTHER)],
	'/staff/orgs/[orgId]/events/new': [
		get('own', (i) => `/staff/orgs/${i.org}/events/new`, EDIT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/events/new`, EDIT_OTHER),
		// Another organisation's program under one's own path: refused as a mistake in the form (400), nothing created.
		post('idor', (i) => `/staff/orgs/${i.org}/events/new`, (_i, b) => ({ programId: b.program, day: '2030-01-05', start: '10:00', kind: 'session', capacityUnit: 'people' }), EDIT_OWN)
	],
	// Names and contacts: staff and admins of the organisation only, not the secretariat elsewhere.
	'/staff/orgs/[orgId]/events/[occurrenceId]/registrations': [
		get('own', (i) => `/staff/orgs/${i.org}/events/${i.occurrence}/registrations`, ['login', 'deny', 'deny', 'ok', 'ok', 'deny', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/events/${i.occurrence}/registrations`, ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa']),
		get('idor', (i, b) => `/staff/orgs/${i.org}/events/${b.occurrence}/registrations`, ['login', 'deny', 'deny', 'hidden', 'hidden', 'deny', 'mfa']),
		post('idor', (i) => `/staff/orgs/${i.org}/events/${i.occurrence}/registrations?/cancel`, (_i, b) => ({ id: b.registration }), ['login', 'deny', 'deny', 'hidden', 'hidden', 'deny', 'mfa'])
	],
	'/staff/orgs/[orgId]/events/[occurrenceId]/registrations.csv': [
		get('own', (i) => `/staff/orgs/${i.org}/events/${i.occurrence}/registrations.csv`, ['login', 'deny', 'deny', 'ok', 'ok', 'deny', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/events/${i.occurrence}/registrations.csv`, ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa'])
	],
	// At the door (attendance.record): volunteers too; the secretariat only at its own organisation.
	'/staff/orgs/[orgId]/checkin': [
		get('own', (i) => `/staff/orgs/${i.org}/checkin`, ['login', 'ok', 'deny', 'ok', 'ok', 'deny', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/checkin`, ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa']),
		post('idor', (i, b) => `/staff/orgs/${i.org}/checkin?/checkin`, (_i, b) => ({ occurrenceId: b.occurrence, code: 'ABCDE-12345' }), ['login', 'ok', 'deny', 'ok', 'ok', 'deny', 'mfa']),
		// One tap on the list (issue 16): B's date, or B's registration on A's date, is refused (409) and B stays as it was.
		post('idor', (i) => `/staff/orgs/${i.org}/checkin?/arrive`, (_i, b) => ({ occurrenceId: b.occurrence, registrationId: b.registration }), ['login', 'ok', 'deny', 'ok', 'ok', 'deny', 'mfa']),
		post('idor', (i) => `/staff/orgs/${i.org}/checkin?/arrive`, (i, b) => ({ occurrenceId: i.occurrence, registrationId: b.registration }), ['login', 'ok', 'deny', 'ok', 'ok', 'deny', 'mfa'])
	],
	'/staff/orgs/[orgId]/count': [
		get('own', (i) => `/staff/orgs/${i.org}/count`, ['login', 'ok', 'deny', 'ok', 'ok', 'deny', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/count`, ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa']),
		// B's program under A's path: refused (404), nothing counted.
		post('idor', (i) => `/staff/orgs/${i.org}/count?/tap`, (_i, b) => ({ programId: b.program, ageBand: '20s', gender: 'female', clientKey: '6f1c2a34-1111-4222-8333-444455556666' }), ['login', 'hidden', 'deny', 'hidden', 'hidden', 'deny', 'mfa']),
		// Undo (issue 16): only the caller's own tap; a key of anyone else's answers "nothing to undo" (409) and removes nothing.
		post('idor', (i) => `/staff/orgs/${i.org}/count?/undo`, () => ({ clientKey: '6f1c2a34-1111-4222-8333-444455556666' }), ['login', 'ok', 'deny', 'ok', 'ok', 'deny', 'mfa'])
	],
	'/api/v1/orgs/[orgId]/checkins': [post('own', (i) => `/api/v1/orgs/${i.org}/checkins`, () => ({}), ['login', 'ok', 'deny', 'ok', 'ok', 'deny', 'mfa'])],
	'/api/v1/orgs/[orgId]/taps': [post('other', (i) => `/api/v1/orgs/${i.org}/taps`, () => ({}), ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa'])],
	// figures.view: attendance for staff, admins and the secretariat; the consultation part for the organisation's counsellors.
	'/staff/orgs/[orgId]/figures': [
		get('own', (i) => `/staff/orgs/${i.org}/figures`, FIGURES_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/figures`, EDIT_OTHER),
		get('own', (i) => `/staff/orgs/${i.org}/figures?from=2026-13-01`, FIGURES_OWN)
	],
	'/staff/orgs/[orgId]/figures.csv': [get('own', (i) => `/staff/orgs/${i.org}/figures.csv`, FIGURES_OWN), get('other', (i) => `/staff/orgs/${i.org}/figures.csv`, EDIT_OTHER)],
	'/staff/orgs/[orgId]/events/[occurrenceId]': [
		get('own', (i) => `/staff/orgs/${i.org}/events/${i.occurrence}`, EDIT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/events/${i.occurrence}`, EDIT_OTHER),
		get('idor', (i, b) => `/staff/orgs/${i.org}/events/${b.occurrence}`, EDIT_IDOR),
		post('own', (i) => `/staff/orgs/${i.org}/events/${i.occurrence}?/settings`, () => ({ capacity: 'many' }), EDIT_OWN),
		post('idor', (i, b) => `/staff/orgs/${i.org}/events/${b.occurrence}?/cancel`, () => ({ note: '乗っ取り' }), EDIT_IDOR),
		post('idor', (i, b) => `/staff/orgs/${i.org}/events/${b.occurrence}?/move`, () => ({ day: '2030-01-05', start: '10:00' }), EDIT_IDOR),
		// Issue 16: 「取組の設定に戻す」 on another organisation's date: not found.
		post('idor', (i, b) => `/staff/orgs/${i.org}/events/${b.occurrence}?/follow`, () => ({}), EDIT_IDOR),
		// Issue 16: 「もう一度送る」: the organisation's staff (nothing failed: 409), not another organisation's date.
		post('own', (i) => `/staff/orgs/${i.org}/events/${i.occurrence}?/retry`, () => ({}), EDIT_OWN),
		post('other', (i) => `/staff/orgs/${i.org}/events/${i.occurrence}?/retry`, () => ({}), EDIT_OTHER),
		post('idor', (i, b) => `/staff/orgs/${i.org}/events/${b.occurrence}?/retry`, () => ({}), EDIT_IDOR)
	],
	// The region's figures: counts of every organisation, for the secretariat alone.
	'/staff/network/figures': [
		get('none', () => '/staff/network/figures', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		get('none', () => '/staff/network/figures?to=2026-02-30', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])
	],
	'/staff/network/figures.csv': [get('none', () => '/staff/network/figures.csv', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])],
	'/staff/network/audit': [get('none', () => '/staff/network/audit', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])],
	'/staff/network/audit.csv': [get('none', () => '/staff/network/audit.csv', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])],

	// ── consultations (issue 13): anyone may write; only the addressed organisation's counsellors
	// (and the secretariat at its own organisation, the one window) read — never network-wide ──────
	// An empty message: the form comes back (400) and nothing is stored.
	'/consult': [get('none', () => '/consult', ALL_OK), get('own', (i) => `/consult?organization=${i.org}`, ALL_OK), post('none', () => '/consult', () => ({ message: '' }), ALL_OK)],
	// The person's link opens the thread for whoever holds it (a session adds nothing); an empty
	// message comes back (400). Wrong links are 404s in src/routes/consult/consult.http.test.ts (here
	// they would spend the network's link-miss allowance the other bearer-link probes need).
	'/consult/t/[token]': [get('own', (i) => `/consult/t/${i.threadToken}`, ALL_OK), post('own', (i) => `/consult/t/${i.threadToken}`, () => ({ message: '' }), ALL_OK)],
	// A form body is no JSON consultation: 400 for everyone, nothing stored.
	'/api/v1/consultations': [post('none', () => '/api/v1/consultations', () => ({ message: 'x' }), ALL_OK)],
	// LINE's webhook: this app runs without a LINE channel, so it is not there for anyone (404); with a
	// channel, only a body signed with the channel secret is processed (src/routes/api/v1/line/line.http.test.ts).
	'/api/v1/line/webhook': [post('none', () => '/api/v1/line/webhook', () => ({ destination: 'U0', events: '[]' }), ['hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden'])],
	'/staff/orgs/[orgId]/consultations': [
		get('own', (i) => `/staff/orgs/${i.org}/consultations`, CONSULT_OWN),
		get('own', (i) => `/staff/orgs/${i.org}/consultations?view=urgent`, CONSULT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/consultations`, CONSULT_OTHER),
		// 電話・来所の相談を記録: an empty record comes back (400) to the counsellor; another organisation's staff are refused before anything is stored.
		post('own', (i) => `/staff/orgs/${i.org}/consultations?/record`, () => ({ message: '' }), CONSULT_OWN),
		post('other', (i) => `/staff/orgs/${i.org}/consultations?/record`, () => ({ message: '乗っ取り' }), CONSULT_OTHER)
	],
	// The on-call rota: the organisation's counsellors read it, its admin (a member, members.manage) sets it;
	// the secretariat acting for another organisation is refused (the rows are the organisation's own).
	// Bad minutes come back (400) to the admin with nothing changed.
	'/staff/orgs/[orgId]/consultations/rota': [
		get('own', (i) => `/staff/orgs/${i.org}/consultations/rota`, ['login', 'deny', 'ok', 'deny', 'ok', 'deny', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/consultations/rota`, CONSULT_OTHER),
		post('own', (i) => `/staff/orgs/${i.org}/consultations/rota?/minutes`, () => ({ minutes: '0' }), ['login', 'deny', 'deny', 'deny', 'ok', 'deny', 'mfa']),
		post('other', (i) => `/staff/orgs/${i.org}/consultations/rota?/minutes`, () => ({ minutes: '5' }), CONSULT_OTHER),
		post('other', (i) => `/staff/orgs/${i.org}/consultations/rota?/rota`, () => ({}), CONSULT_OTHER),
		post('own', (i) => `/staff/orgs/${i.org}/consultations/rota?/lineCode`, () => ({}), ['login', 'deny', 'ok', 'deny', 'deny', 'deny', 'mfa'])
	],
	'/staff/orgs/[orgId]/consultations/[threadId]': [
		get('own', (i) => `/staff/orgs/${i.org}/consultations/${i.thread}`, CONSULT_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/consultations/${i.thread}`, CONSULT_OTHER),
		get('idor', (i, x) => `/staff/orgs/${i.org}/consultations/${x.thread}`, CONSULT_IDOR),
		get('own', (i) => `/staff/orgs/${i.org}/consultations/not-a-uuid`, CONSULT_IDOR),
		// An empty answer: the form comes back (400), nothing sent.
		post('own', (i) => `/staff/orgs/${i.org}/consultations/${i.thread}?/reply`, () => ({ message: '' }), CONSULT_OWN),
		post('other', (i) => `/staff/orgs/${i.org}/consultations/${i.thread}?/reply`, () => ({ message: '乗っ取り' }), CONSULT_OTHER),
		post('idor', (i, x) => `/staff/orgs/${i.org}/consultations/${x.thread}?/reply`, () => ({ message: '乗っ取り' }), CONSULT_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/consultations/${x.thread}?/note`, () => ({ note: '乗っ取り' }), CONSULT_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/consultations/${x.thread}?/assign`, () => ({ to: 'me' }), CONSULT_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/consultations/${x.thread}?/status`, () => ({ status: 'closed' }), CONSULT_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/consultations/${x.thread}?/tags`, () => ({ tags: 'life_stage:youth' }), CONSULT_IDOR),
		// 下書きを作る: this app has no language-model endpoint, so the counsellor is told so (400); another organisation's thread is not there.
		post('own', (i) => `/staff/orgs/${i.org}/consultations/${i.thread}?/draft`, () => ({}), CONSULT_OWN),
		post('idor', (i, x) => `/staff/orgs/${i.org}/consultations/${x.thread}?/draft`, () => ({}), CONSULT_IDOR)
	],
	// 自動の返信と下書き: an hour 25:00 comes back (400) to the admin, nothing stored; the unenrolled counsellor is sent to set up the second factor.
	'/staff/orgs/[orgId]/consultations/replies': [
		get('own', (i) => `/staff/orgs/${i.org}/consultations/replies`, CONSULT_SETTINGS_READ),
		get('other', (i) => `/staff/orgs/${i.org}/consultations/replies`, CONSULT_OTHER),
		post('own', (i) => `/staff/orgs/${i.org}/consultations/replies?/save`, () => ({ enabled: 'on', open_mon: 'on', start_mon: '25:00', end_mon: '26:00', withinHours: 'x', outsideHours: 'x' }), CONSULT_SETTINGS_WRITE),
		post('other', (i) => `/staff/orgs/${i.org}/consultations/replies?/save`, () => ({ enabled: 'on', withinHours: '乗っ取り', outsideHours: '乗っ取り' }), CONSULT_OTHER)
	],

	// ── the secretariat ──────────────────────────────────────────────────────────────────────────
	'/staff/network/join-requests': [
		get('none', () => '/staff/network/join-requests', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		// An id that is not pending: the secretariat gets 409, nobody else reaches the decision.
		post('none', () => '/staff/network/join-requests?/approve', () => ({ id: NIL }), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('none', () => '/staff/network/join-requests?/reject', () => ({ id: NIL }), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])
	],
	// The crisis triage rules: the secretariat alone. A save without its base version is a 400 and
	// saves nothing; an unknown version is a 404 — for the secretariat; nobody else gets that far.
	'/staff/network/triage': [
		get('none', () => '/staff/network/triage', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('none', () => '/staff/network/triage?/save', () => ({ version: 'matrix-1' }), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('none', () => '/staff/network/triage?/activate', () => ({ version: 'no-such-version' }), ['login', 'deny', 'deny', 'deny', 'deny', 'hidden', 'mfa'])
	],
	// ── the 協議会 and the provision records (issue 14) ──────────────────────────────────────────
	// The declaration is public; only the secretariat declares it, names members and ends it. An empty
	// name, members or an end without a declaration: 400 for the secretariat, nothing changed.
	'/council': [get('none', () => '/council', ALL_OK)],
	// The open-data licence (issue 17): the secretariat chooses it; nobody else, not even an organisation's admin.
	'/staff/network/opendata': [
		get('none', () => '/staff/network/opendata', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('none', () => '/staff/network/opendata?/save', () => ({ licence: 'CC-BY-4.0', attribution: '' }), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])
	],
	'/staff/network/council': [
		get('none', () => '/staff/network/council', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('none', () => '/staff/network/council?/declare', () => ({ name: '' }), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('own', () => '/staff/network/council?/members', (i) => ({ organizationId: i.org }), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('none', () => '/staff/network/council?/end', () => ({}), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])
	],
	// Every provision record (reasons of sharings without consent): the secretariat alone; a bad period is a 400.
	'/staff/network/provisions': [
		get('none', () => '/staff/network/provisions', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		get('none', () => '/staff/network/provisions?from=2026-02-30', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])
	],
	'/staff/network/provisions.csv': [get('none', () => '/staff/network/provisions.csv', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa'])],
	// An organisation's own provision records (privacy.requests): its admin; not the secretariat elsewhere.
	'/staff/orgs/[orgId]/provisions': [
		get('own', (i) => `/staff/orgs/${i.org}/provisions`, ['login', 'deny', 'deny', 'deny', 'ok', 'deny', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/provisions`, ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa']),
		get('own', (i) => `/staff/orgs/${i.org}/provisions?to=yesterday`, ['login', 'deny', 'deny', 'deny', 'ok', 'deny', 'mfa'])
	],
	'/staff/orgs/[orgId]/provisions.csv': [
		get('own', (i) => `/staff/orgs/${i.org}/provisions.csv`, ['login', 'deny', 'deny', 'deny', 'ok', 'deny', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/provisions.csv`, ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa'])
	],
	// The queue of stuck referrals (organisations and days, never the person): the secretariat alone.
	// A bad id is a 400 and an unknown entry a 404 — for the secretariat; nobody else gets that far.
	'/staff/network/referrals': [
		get('none', () => '/staff/network/referrals', ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('none', () => '/staff/network/referrals?/resolve', () => ({ id: 'not-a-uuid' }), ['login', 'deny', 'deny', 'deny', 'deny', 'ok', 'mfa']),
		post('none', () => '/staff/network/referrals?/resolve', () => ({ id: NIL }), ['login', 'deny', 'deny', 'deny', 'deny', 'hidden', 'mfa'])
	],

	// ── case conferences (issue 14): the organisation's staff, admins and counsellors; another
	// organisation's participants open one under their own organisation's path (conferences.http.test.ts);
	// the secretariat acting elsewhere is refused (no network permission). Empty fields come back (400),
	// nothing created or changed; another organisation's conference under one's own path is not there. ──
	'/staff/orgs/[orgId]/conferences': [
		get('own', (i) => `/staff/orgs/${i.org}/conferences`, CONF_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/conferences`, CONF_OTHER),
		post('own', (i) => `/staff/orgs/${i.org}/conferences?/create`, () => ({ title: '', day: '2030-01-05', start: '10:00', end: '11:00' }), CONF_OWN),
		post('other', (i) => `/staff/orgs/${i.org}/conferences?/create`, () => ({ title: '乗っ取り', day: '2030-01-05', start: '10:00', end: '11:00' }), CONF_OTHER)
	],
	'/staff/orgs/[orgId]/conferences/[conferenceId]': [
		get('own', (i) => `/staff/orgs/${i.org}/conferences/${i.conference}`, CONF_OWN),
		get('other', (i) => `/staff/orgs/${i.org}/conferences/${i.conference}`, CONF_OTHER),
		get('idor', (i, x) => `/staff/orgs/${i.org}/conferences/${x.conference}`, CONF_IDOR),
		get('own', (i) => `/staff/orgs/${i.org}/conferences/not-a-uuid`, CONF_IDOR),
		post('own', (i) => `/staff/orgs/${i.org}/conferences/${i.conference}?/edit`, () => ({ title: '', day: '2030-01-05', start: '10:00', end: '11:00' }), CONF_OWN),
		post('own', (i) => `/staff/orgs/${i.org}/conferences/${i.conference}?/action`, () => ({ description: '', dueOn: '2030-01-05' }), CONF_OWN),
		post('own', (i) => `/staff/orgs/${i.org}/conferences/${i.conference}?/participants`, () => ({}), CONF_OWN),
		post('other', (i) => `/staff/orgs/${i.org}/conferences/${i.conference}?/record`, () => ({ summary: '乗っ取り', minutes: '' }), CONF_OTHER),
		post('idor', (i, x) => `/staff/orgs/${i.org}/conferences/${x.conference}?/record`, () => ({ summary: '乗っ取り', minutes: '' }), CONF_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/conferences/${x.conference}?/edit`, () => ({ title: '乗っ取り', day: '2030-01-05', start: '10:00', end: '11:00' }), CONF_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/conferences/${x.conference}?/participants`, (i) => ({ participant: `${i.org}:${i.member}` }), CONF_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/conferences/${x.conference}?/action`, (i) => ({ description: '乗っ取り', assigneeUserId: i.member, dueOn: '2030-01-05' }), CONF_IDOR),
		post('idor', (i, x) => `/staff/orgs/${i.org}/conferences/${x.conference}?/done`, (_i, x) => ({ actionId: x.conferenceAction }), CONF_IDOR)
	],

	// ── referrals (issue 14): exactly the sending and the receiving organisation ──────────────────
	'/staff/orgs/[orgId]/referrals': [get('own', (i) => `/staff/orgs/${i.org}/referrals`, REF_OWN), get('other', (i) => `/staff/orgs/${i.org}/referrals`, REF_OTHER)],
	'/staff/orgs/[orgId]/referrals/new': [
		// From a thread: counsellors (consultations.read); from a registration: staff and admins (registrations.view).
		get('own', (i) => `/staff/orgs/${i.org}/referrals/new?thread=${i.thread}`, ['login', 'deny', 'ok', 'deny', 'deny', 'deny', 'mfa']),
		get('own', (i) => `/staff/orgs/${i.org}/referrals/new?registration=${i.registration}`, ['login', 'deny', 'deny', 'ok', 'ok', 'deny', 'mfa']),
		get('own', (i) => `/staff/orgs/${i.org}/referrals/new`, REF_HIDDEN),
		get('other', (i) => `/staff/orgs/${i.org}/referrals/new?thread=${i.thread}`, REF_OTHER),
		get('idor', (i, x) => `/staff/orgs/${i.org}/referrals/new?thread=${x.thread}`, ['login', 'deny', 'hidden', 'deny', 'deny', 'deny', 'mfa']),
		get('idor', (i, x) => `/staff/orgs/${i.org}/referrals/new?registration=${x.registration}`, ['login', 'deny', 'deny', 'hidden', 'hidden', 'deny', 'mfa']),
		// An empty form comes back (400) to the counsellor, nothing sent; another organisation's thread is not there.
		post('own', (i) => `/staff/orgs/${i.org}/referrals/new?thread=${i.thread}`, () => ({ items: 'name' }), ['login', 'deny', 'ok', 'deny', 'deny', 'deny', 'mfa']),
		post('idor', (i, x) => `/staff/orgs/${i.org}/referrals/new?thread=${x.thread}`, (i) => ({ to: i.org, items: 'name', basis: 'vital_interest', reason: '乗っ取りの理由をここに書く', reach: 'phone' }), ['login', 'deny', 'hidden', 'deny', 'deny', 'deny', 'mfa']),
		post('other', (i) => `/staff/orgs/${i.org}/referrals/new?thread=${i.thread}`, () => ({ items: 'name' }), REF_OTHER)
	],
	'/staff/orgs/[orgId]/referrals/[referralId]': [
		get('own', (i) => `/staff/orgs/${i.org}/referrals/${i.referralSent}`, REF_OWN),
		get('own', (i) => `/staff/orgs/${i.org}/referrals/${i.referralReceived}`, REF_OWN),
		// A referral between two other organisations under one's own path: not there (row-level security).
		get('own', (i) => `/staff/orgs/${i.org}/referrals/${i.referralElsewhere}`, REF_HIDDEN),
		get('own', (i) => `/staff/orgs/${i.org}/referrals/not-a-uuid`, REF_HIDDEN),
		get('other', (i) => `/staff/orgs/${i.org}/referrals/${i.referralSent}`, REF_OTHER),
		// Closing without an outcome comes back (400), nothing changes; a third organisation's referral is not there even with a valid step.
		post('own', (i) => `/staff/orgs/${i.org}/referrals/${i.referralReceived}?/step`, () => ({ action: 'close' }), REF_OWN),
		post('own', (i) => `/staff/orgs/${i.org}/referrals/${i.referralSent}?/step`, () => ({ action: 'accept' }), REF_OWN),
		post('own', (i) => `/staff/orgs/${i.org}/referrals/${i.referralElsewhere}?/step`, () => ({ action: 'close', outcome: 'got_help' }), REF_HIDDEN),
		post('other', (i) => `/staff/orgs/${i.org}/referrals/${i.referralSent}?/step`, () => ({ action: 'close', outcome: 'got_help' }), REF_OTHER)
	],

	// ── consent and わたしの情報 (issue 14) ──────────────────────────────────────────────────────────
	// The person's private link opens their own view for whoever holds it (a session adds nothing); an
	// empty request or answer comes back (400), nothing stored. Wrong links: src/routes/my/consent.http.test.ts.
	'/my/[token]': [get('own', (i) => `/my/${i.threadToken}`, ALL_OK), post('own', (i) => `/my/${i.threadToken}?/ask`, () => ({ body: '' }), ALL_OK), post('own', (i) => `/my/${i.threadToken}?/withdraw`, () => ({ consentId: 'x' }), ALL_OK)],
	'/consult/t/[token]/consent': [get('own', (i) => `/consult/t/${i.threadToken}/consent`, ALL_OK), post('own', (i) => `/consult/t/${i.threadToken}/consent?/answer`, () => ({}), ALL_OK)],
	// The people's requests (privacy.requests): the organisation's admin (and the secretariat at its own organisation only).
	'/staff/orgs/[orgId]/requests': [
		get('own', (i) => `/staff/orgs/${i.org}/requests`, ['login', 'deny', 'deny', 'deny', 'ok', 'deny', 'mfa']),
		get('other', (i) => `/staff/orgs/${i.org}/requests`, ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa']),
		get('idor', (i, x) => `/staff/orgs/${i.org}/requests?id=${x.subjectRequest}`, ['login', 'deny', 'deny', 'deny', 'hidden', 'deny', 'mfa']),
		post('other', (i) => `/staff/orgs/${i.org}/requests?/answer`, (i) => ({ id: i.subjectRequest }), ['login', 'deny', 'deny', 'deny', 'deny', 'deny', 'mfa']),
		post('idor', (i) => `/staff/orgs/${i.org}/requests?/answer`, (_i, x) => ({ id: x.subjectRequest }), ['login', 'deny', 'deny', 'deny', 'hidden', 'deny', 'mfa'])
	]
};
// つなぐための同意 on the staff thread page (consultations.reply): an empty proposal comes back (400);
// another organisation's thread or consent is not there.
MATRIX['/staff/orgs/[orgId]/consultations/[threadId]'].push(
	post(
		'own',
		(i) => `/staff/orgs/${i.org}/consultations/${i.thread}?/consentPropose`,
		() => ({}),
		CONSULT_OWN
	),
	post(
		'other',
		(i, x) => `/staff/orgs/${i.org}/consultations/${i.thread}?/consentPropose`,
		() => ({ recipientOrganizationId: NIL, items: 'name', purpose: '乗っ取り' }),
		CONSULT_OTHER
	),
	post(
		'idor',
		(i, x) => `/staff/orgs/${i.org}/consultations/${x.thread}?/consentPropose`,
		(_i, x) => ({ recipientOrganizationId: x.org, items: 'name', purpose: '乗っ取り' }),
		CONSULT_IDOR
	),
	post(
		'idor',
		(i, x) => `/staff/orgs/${i.org}/consultations/${x.thread}?/consentRecord`,
		(_i, x) => ({ recipientOrganizationId: x.org, items: 'name', purpose: '乗っ取り', via: 'paper', name: 'x', reach: 'self' }),
		CONSULT_IDOR
	),
	post(
		'idor',
		(i) => `/staff/orgs/${i.org}/consultations/${i.thread}?/consentWithdraw`,
		() => ({ consentId: NIL, via: 'paper' }),
		CONSULT_IDOR
	)
);

/** Every route id under src/routes: folders holding +page.svelte, +page.server.ts or +server.ts. */
function routeIds(dir = path.resolve('src/routes'), prefix = ''): string[] {
	const found: string[] = [];
	const entries = readdirSync(dir);
	if (entries.some((e) => /^\+(page\.svelte|page\.server\.ts|page\.ts|server\.ts)$/.test(e))) found.push(prefix || '/');
	for (const entry of entries) {
		if (statSync(path.join(dir, entry)).isDirectory()) found.push(...routeIds(path.join(dir, entry), `${prefix}/${entry}`));
	}
	return found.map((id) => id.replace(/\/\([^)]+\)/g, '') || '/');
}

let database: Database;
let app: RunningApp;
let cast: Cast;
let own: Ids;
let other: Ids;
let admin: pg.Client;

/** Organisation B's rows as text: must not change whatever anyone tries. */
async function snapshotOf(org: string): Promise<string> {
	const tables = [
		'organizations where id',
		'programs where organization_id',
		'locations where organization_id',
		'memberships where organization_id',
		'email_tokens where organization_id',
		'occurrences where organization_id',
		'registrations where organization_id',
		'program_registration_settings where organization_id',
		'registration_notices where organization_id',
		'visits where organization_id',
		'card_consents where organization_id',
		'consultation_threads where organization_id',
		'consultation_messages where organization_id',
		'consultation_notes where organization_id',
		'case_conferences where organization_id',
		'conference_records where organization_id',
		'conference_actions where organization_id',
		'consents where organization_id',
		'subject_requests where organization_id'
	];
	const parts: string[] = [];
	for (const t of tables) {
		const [table, where] = t.split(' where ');
		const rows = await admin.query(`select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest, count(*)::int as n from ${table} x where ${where} = $1`, [org]);
		parts.push(`${table}:${rows.rows[0].n}:${rows.rows[0].digest}`);
	}
	const schedules = await admin.query(`select md5(coalesce(string_agg(s::text, '|' order by s::text), '')) as d from schedules s join programs p on p.id = s.program_id where p.organization_id = $1`, [org]);
	return parts.join('\n') + `\nschedules:${schedules.rows[0].d}`;
}

async function idsOf(org: string, member: string): Promise<Ids> {
	const location = await makePlace(database.db, org);
	const program = await makeProgram(database.db, org, { placeIds: [location] });
	// Row ids are chosen here so that the registration's id is known (sealed values bind to it;
	// these placeholders are never decrypted by the probes).
	const occurrence = (
		await admin.query(
			`insert into occurrences (organization_id, program_id, day, starts_at, registration_open, capacity)
			values ($1, $2, (now() + interval '7 days')::date, now() + interval '7 days', true, 10) returning id`,
			[org, program]
		)
	).rows[0].id;
	const registration = (
		await admin.query(
			`insert into registrations (id, organization_id, occurrence_id, status, name_sealed, contact_sealed, contact_kind, submission_key, access_digest, reference_code)
			values (gen_random_uuid(), $1, $2, 'registered', 'x', 'x', 'email', md5(random()::text), md5(random()::text), upper(substr(md5(random()::text), 1, 6))) returning id`,
			[org, occurrence]
		)
	).rows[0].id;
	// Real sealed values, so that the list pages can open them.
	const bind = (column: string) => ({ table: 'registrations', column, rowId: registration, organizationId: org });
	await admin.query(`update registrations set name_sealed = $1, contact_sealed = $2 where id = $3`, [await sealedFor(database.db, '行列 太郎', bind('name_sealed')), await sealedFor(database.db, 'matrix@example.org', bind('contact_sealed')), registration]);
	const threadToken = randomBytes(32).toString('base64url');
	const thread = (await admin.query(`insert into consultation_threads (organization_id, channel, access_digest) values ($1, 'web', $2) returning id`, [org, createHash('sha256').update(threadToken).digest('hex')])).rows[0].id;
	const conference = (await admin.query(`insert into case_conferences (organization_id, owner_user_id, title, starts_at, ends_at) values ($1, $2, '行列の会議', now() - interval '1 hour', now() + interval '1 day') returning id`, [org, member])).rows[0].id;
	await admin.query(`insert into conference_participants (conference_id, user_id, organization_id, owner_organization_id) values ($1, $2, $3, $3)`, [conference, member, org]);
	await admin.query(`insert into conference_records (conference_id, organization_id) values ($1, $2)`, [conference, org]);
	const conferenceAction = (await admin.query(`insert into conference_actions (conference_id, organization_id, description_sealed, assignee_user_id, assignee_organization_id, due_on) values ($1, $2, 'x', $3, $2, current_date) returning id`, [conference, org, member])).rows[0].id;
	const sealedAction = await sealedFor(database.db, '行列の宿題', { table: 'conference_actions', column: 'description_sealed', rowId: conferenceAction, organizationId: org });
	await admin.query(`update conference_actions set description_sealed = $1 where id = $2`, [sealedAction, conferenceAction]);
	const subject = (await admin.query(`insert into data_subjects (organization_id, source_kind, source_id) values ($1, 'consultation', $2) returning id`, [org, thread])).rows[0].id;
	const subjectRequest = (await admin.query(`insert into subject_requests (subject_id, organization_id, kind, due_on) values ($1, $2, 'disclosure', current_date + 14) returning id`, [subject, org])).rows[0].id;
	return { org, program, location, member, joinRequest: NIL, occurrence, registration, thread, threadToken, conference, conferenceAction, subjectRequest };
}

/**
 * Referrals for the matrix: A → B (A sends), B → A (A receives), B → C (A is a third organisation),
 * without consent (a recorded basis), each with one item sealed for its receiver.
 */
async function addReferrals(a: Ids, b: Ids): Promise<void> {
	const c = await makeOrganization(database.db);
	const make = async (from: Ids, to: string) => {
		const subject =
			(await admin.query(`insert into data_subjects (organization_id, source_kind, source_id) values ($1, 'consultation', $2) on conflict do nothing returning id`, [from.org, from.thread])).rows[0]?.id ??
			(await admin.query(`select id from data_subjects where organization_id = $1 and source_id = $2`, [from.org, from.thread])).rows[0].id;
		const referral = (
			await admin.query(`insert into referrals (subject_id, from_organization_id, to_organization_id, source_kind, source_id, referred_by, contact_preference, basis, items) values ($1, $2, $3, 'consultation', $4, $5, 'phone', 'vital_interest', '{name}') returning id`, [
				subject,
				from.org,
				to,
				from.thread,
				from.member
			])
		).rows[0].id;
		const item = randomUUID();
		const sealed = await sealedFor(database.db, '行列 花子', { table: 'referral_items', column: 'value_sealed', rowId: item, organizationId: to });
		await admin.query(`insert into referral_items (id, referral_id, from_organization_id, to_organization_id, item, value_sealed) values ($1, $2, $3, $4, 'name', $5)`, [item, referral, from.org, to, sealed]);
		await admin.query(`insert into referral_events (referral_id, from_organization_id, to_organization_id, status, actor_organization_id) values ($1, $2, $3, 'sent', $2)`, [referral, from.org, to]);
		return referral as string;
	};
	const ab = await make(a, b.org);
	const ba = await make(b, a.org);
	const bc = await make(b, c);
	Object.assign(a, { referralSent: ab, referralReceived: ba, referralElsewhere: bc });
	Object.assign(b, { referralSent: ba, referralReceived: ab, referralElsewhere: bc });
}

function classify(response: Response, body: string): Outcome | `unexpected ${number}` {
	const location = response.headers.get('location') ?? '';
	// The staff API answers JSON where pages redirect: 401 for the login, this code for the set-up page.
	if (response.status === 403 && /"code":"second_factor_required"/.test(body)) return 'mfa';
	if (response.status >= 300 && response.status < 400) {
		if (location.startsWith('/login')) return 'login';
		if (location.startsWith('/account/2fa')) return 'mfa';
		return 'ok';
	}
	if (response.status === 401) return 'login';
	if (response.status === 403) return 'deny';
	if (response.status === 404) return 'hidden';
	if (response.status < 500) return 'ok';
	return `unexpected ${response.status}`;
}

beforeAll(async () => {
	database = await testDatabase();
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	cast = await seedCast(database);
	own = await idsOf(cast.orgA, cast.people.org_admin.userId);
	other = await idsOf(cast.orgB, cast.people.adminB.userId);
	await addReferrals(own, other);
	app = await startApp(database.adminUrl);
}, 120_000);

afterAll(async () => {
	await app?.stop();
	await admin?.end();
	await database?.close();
});

describe('authorization matrix', () => {
	it('has an entry for every route in src/routes', () => {
		const missing = routeIds().filter((id) => !(id in MATRIX));
		const stale = Object.keys(MATRIX).filter((id) => !routeIds().includes(id));
		expect({ missing, stale }).toEqual({ missing: [], stale: [] });
		for (const [id, probes] of Object.entries(MATRIX)) expect(probes.length, id).toBeGreaterThan(0);
	});

	it('gives every principal the expected outcome on every probe, and leaves the other organisation untouched', async () => {
		const before = await snapshotOf(cast.orgB);
		const failures: string[] = [];
		for (const [id, probes] of Object.entries(MATRIX)) {
			for (const probe of probes) {
				const ids = probe.target === 'other' ? other : own;
				const url = app.baseUrl + probe.path(ids, other);
				const ask = async (index: number, principal: Principal) => {
					const headers: Record<string, string> = { accept: 'text/html' };
					if (principal !== 'anonymous') headers.cookie = `tsunagu_session=${cast.people[principal as Exclude<Principal, 'anonymous'>].token}`;
					let body: string | undefined;
					if (probe.method === 'POST') {
						headers['content-type'] = 'application/x-www-form-urlencoded';
						body = new URLSearchParams(probe.body?.(ids, other) ?? {}).toString();
					}
					const response = await fetch(url, { method: probe.method, headers, body, redirect: 'manual' });
					const outcome = classify(response, await response.text());
					if (outcome !== probe.expect[index]) failures.push(`${probe.method} ${id} [${probe.target}] as ${principal}: expected ${probe.expect[index]}, got ${outcome} (${response.status} ${response.headers.get('location') ?? ''})`);
				};
				// A GET is asked by every principal at once; a POST one after another, in the table's order,
				// since one principal's accepted write could change what the next one meets.
				if (probe.method === 'GET') await Promise.all([...PRINCIPALS.entries()].map(([index, principal]) => ask(index, principal)));
				else for (const [index, principal] of PRINCIPALS.entries()) await ask(index, principal);
			}
		}
		expect(failures).toEqual([]);
		expect(await snapshotOf(cast.orgB)).toBe(before);
	}, 300_000);
});

describe('over HTTP: headers and the session cookie', () => {
	it('sends a CSP without inline script, no framing, a referrer policy; no HSTS on plain http', async () => {
		const response = await fetch(`${app.baseUrl}/`);
		const csp = response.headers.get('content-security-policy') ?? '';
		const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
		expect(scriptSrc).toContain("'self'");
		expect(scriptSrc).not.toContain('unsafe-inline');
		// Styles only from our CSS files (tests/e2e/csp.test.ts renders pages under this policy).
		expect(csp).not.toContain('unsafe-inline');
		expect(csp).toMatch(/style-src 'self'(;|$)/);
		expect(csp).toContain("frame-ancestors 'none'");
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('strict-transport-security')).toBeNull();
	});

	it('logs in with a fresh httpOnly, SameSite=Lax cookie, retires the old session, and logout ends the new one', async () => {
		const person = cast.people.staff;
		const old = person.token;
		const form = (body: Record<string, string>, cookie?: string) => ({
			method: 'POST',
			redirect: 'manual' as const,
			headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie: `tsunagu_session=${cookie}` } : {}) },
			body: new URLSearchParams(body).toString()
		});
		const response = await fetch(`${app.baseUrl}/login`, form({ email: person.email, password: person.password }));
		expect(response.status).toBe(303);
		const cookie = response.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/^tsunagu_session=[A-Za-z0-9_-]{43};/);
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).toMatch(/Path=\//i);
		const fresh = cookie.match(/^tsunagu_session=([^;]+)/)![1];
		expect(fresh).not.toBe(old);
		const account = await fetch(`${app.baseUrl}/account`, { redirect: 'manual', headers: { cookie: `tsunagu_session=${fresh}` } });
		expect(account.status).toBe(200);
		expect(account.headers.get('cache-control')).toBe('private, no-store');
		// Logging in from a browser that held a session replaces it.
		const again = await fetch(`${app.baseUrl}/login`, form({ email: person.email, password: person.password }, 'x'.repeat(43)));
		const third = (again.headers.get('set-cookie') ?? '').match(/^tsunagu_session=([^;]+)/)![1];
		const logout = await fetch(`${app.baseUrl}/logout`, form({}, third));
		expect(logout.status).toBe(303);
		expect(logout.headers.get('set-cookie')).toMatch(/tsunagu_session=;.*Max-Age=0/i);
		const after = await fetch(`${app.baseUrl}/account`, { redirect: 'manual', headers: { cookie: `tsunagu_session=${third}` } });
		expect(after.headers.get('location')).toMatch(/^\/login/);
	});

	it('answers a wrong password and an unknown address with the same page', async () => {
		const body = (email: string) => ({ method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password: 'wrong wrong wrong' }).toString() });
		const known = await fetch(`${app.baseUrl}/login`, body(cast.people.volunteer.email));
		const unknown = await fetch(`${app.baseUrl}/login`, body('nobody-at-all@example.org'));
		expect(known.status).toBe(400);
		expect(unknown.status).toBe(400);
		// The pages differ only in the address typed back and the per-response CSP nonce.
		const text = (html: string, email: string) => html.replaceAll(email, 'EMAIL').replace(/nonce="[^"]*"/g, '');
		expect(text(await known.text(), cast.people.volunteer.email)).toBe(text(await unknown.text(), 'nobody-at-all@example.org'));
	});
});

/**
 * Bad input at the boundary (issue 11): every route folder, through the matrix's own probes, with
 * NUL bytes in query parameters and form fields, dates outside the range people may ask for, and
 * form posts whose body is not a form — anonymous and signed in (so staff actions are reached).
 * None may answer 5xx, and nothing may change. The rule lives in hooks.server.ts and
 * src/lib/server/boundary/.
 */
describe('bad input at the boundary', () => {
	const NUL = '\u0000';
	const SWEEP_PRINCIPALS = ['anonymous', 'staff', 'org_admin', 'secretariat'] as const;
	/** Names routes read from the query string; each gets a NUL in one request. */
	const QUERY_NAMES = ['q', 'prefecture', 'city', 'near', 'area', 'date', 'from', 'to', 'next', 'back', 'view', 'organization', 'lifeStage', 'purpose', 'page', 'sort', 'action', 'before'];
	/** Field names the forms read; added with a NUL to every post. */
	const FORM_NAMES = ['email', 'password', 'name', 'title', 'note', 'description', 'organizationName', 'applicantName', 'applicantEmail', 'message', 'prefecture', 'city', 'code', 'back'];
	const BAD_DAYS = ['9999-12-31', '9999-12-01', '0000-01-01'];
	const DATE_FIELDS = ['date', 'from', 'to', 'day', 'dtstart', 'until'];

	const cookieOf = (principal: (typeof SWEEP_PRINCIPALS)[number]): Record<string, string> => (principal === 'anonymous' ? {} : { cookie: `tsunagu_session=${cast.people[principal].token}` });

	/** Concrete request variants of one probe, each bad in one way. */
	function variants(probe: Probe, ids: Ids): Array<{ label: string; url: string; init: RequestInit }> {
		const url = new URL(app.baseUrl + probe.path(ids, other));
		const out: Array<{ label: string; url: string; init: RequestInit }> = [];
		const withParam = (name: string, value: string) => {
			const u = new URL(url);
			u.searchParams.set(name, value);
			return u.toString();
		};
		if (probe.method === 'GET') {
			// Each parameter the probe already sends, then every name routes read, all at once.
			for (const name of url.searchParams.keys()) out.push({ label: `${name}=…NUL`, url: withParam(name, `x${NUL}y`), init: {} });
			const all = new URL(url);
			for (const name of QUERY_NAMES) all.searchParams.set(name, `x${NUL}y`);
			out.push({ label: 'every name …NUL', url: all.toString(), init: {} });
			for (const day of BAD_DAYS) {
				for (const name of ['date', 'from', 'to']) out.push({ label: `${name}=${day}`, url: withParam(name, day), init: {} });
			}
			const list = new URL(withParam('date', '0000-01-01'));
			list.searchParams.set('view', 'list');
			out.push({ label: 'view=list&date=0000-01-01', url: list.toString(), init: {} });
			return out;
		}
		const fields = probe.body?.(ids, other) ?? {};
		const form = (body: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });
		for (const name of Object.keys(fields)) out.push({ label: `field ${name}…NUL`, url: url.toString(), init: form({ ...fields, [name]: `x${NUL}y` }) });
		out.push({ label: 'every field …NUL', url: url.toString(), init: form({ ...fields, ...Object.fromEntries(FORM_NAMES.map((n) => [n, `x${NUL}y`])) }) });
		// Only where the form has a date: elsewhere the action would run (the other fields are valid).
		const dated = Object.keys(fields).filter((n) => DATE_FIELDS.includes(n));
		for (const day of dated.length ? BAD_DAYS : []) out.push({ label: `date fields ${day}`, url: url.toString(), init: form({ ...fields, ...Object.fromEntries(dated.map((n) => [n, day])) }) });
		const multipart = new FormData();
		for (const [k, v] of Object.entries(fields)) multipart.set(k, v);
		multipart.set('note', `x${NUL}y`);
		out.push({ label: 'multipart with a NUL', url: url.toString(), init: { method: 'POST', body: multipart } });
		out.push({ label: 'text/plain', url: url.toString(), init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=x\r\ntitle=y' } });
		out.push({ label: 'multipart without boundary', url: url.toString(), init: { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'name=x' } });
		out.push({ label: 'multipart with a broken boundary', url: url.toString(), init: { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, body: '--other\r\ncontent-disposition: form-data; name="x"\r\n\r\ny' } });
		return out;
	}

	it('answers no 5xx on any route, whoever asks, and changes nothing', async () => {
		const before = [await snapshotOf(cast.orgA), await snapshotOf(cast.orgB)];
		const failures: string[] = [];
		let sent = 0;
		for (const id of routeIds()) {
			for (const probe of MATRIX[id] ?? []) {
				const ids = probe.target === 'other' ? other : own;
				// Every variant of a probe as every principal, twelve at a time (the app takes 4 at once and
				// queues 20; more would be refused with 503): the sweep asks only that nothing breaks or
				// changes, which holds in any order.
				const asks = variants(probe, ids).flatMap((variant) =>
					SWEEP_PRINCIPALS.map((principal) => async () => {
						const init = { ...variant.init, redirect: 'manual' as const, headers: { accept: 'text/html', ...(variant.init.headers as Record<string, string>), ...cookieOf(principal) } };
						const response = await fetch(variant.url, init);
						await response.arrayBuffer();
						sent++;
						if (response.status >= 500) failures.push(`${probe.method} ${id} ${variant.label} as ${principal}: ${response.status}`);
					})
				);
				for (let i = 0; i < asks.length; i += 12) await Promise.all(asks.slice(i, i + 12).map((ask) => ask()));
			}
		}
		expect(sent).toBeGreaterThan(1000);
		expect(failures).toEqual([]);
		expect([await snapshotOf(cast.orgA), await snapshotOf(cast.orgB)]).toEqual(before);
	}, 900_000);

	const page = (pathAndQuery: string, principal: (typeof SWEEP_PRINCIPALS)[number] = 'anonymous', init: RequestInit = {}) =>
		fetch(app.baseUrl + pathAndQuery, { ...init, redirect: 'manual', headers: { accept: 'text/html', 'accept-language': 'ja', ...(init.headers as Record<string, string>), ...cookieOf(principal) } });

	it.each(['/api/v1/programs?q=%00', '/api/v1/programs?prefecture=%00', '/api/v1/programs?city=a%00', '/api/v1/programs?near=%00'])('refuses %s with a JSON 400', async (url) => {
		const response = await page(url);
		expect(response.status).toBe(400);
		const body = await response.json();
		expect(body.error).toMatchObject({ code: 'control_character' });
		expect(typeof body.error.message).toBe('string');
	});

	it.each(['/search?q=%00', '/calendar?area=%00', '/calendar?date=9999-12-31', '/calendar?view=list&date=0000-01-01'])('refuses %s with a Japanese 400 page', async (url) => {
		const response = await page(url);
		expect(response.status).toBe(400);
		expect(await response.text()).toMatch(/[ぁ-んァ-ン一-龯]/);
	});

	it('refuses an out-of-range printed month and figures period with 400', async () => {
		expect((await page('/calendar/print.pdf?date=9999-12-01')).status).toBe(400);
		expect((await page(`/staff/orgs/${own.org}/figures?from=0000-01-01`, 'staff')).status).toBe(400);
		expect((await page('/staff/network/figures?to=9999-12-31', 'secretariat')).status).toBe(400);
	});

	it('refuses a NUL in the login e-mail, a join field and staff forms with a Japanese 400', async () => {
		const form = (body: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });
		const posts: Array<[string, Record<string, string>]> = [
			['/login', { email: `a${NUL}@example.org`, password: 'x'.repeat(12) }],
			['/join', { organizationName: `会${NUL}`, applicantName: '申込', applicantEmail: 'join@example.org' }],
			[`/staff/orgs/${own.org}?/save`, { name: `名前${NUL}` }],
			[`/staff/orgs/${own.org}/programs/${own.program}?/save`, { ...VALID_PROGRAM, title: `題${NUL}` }],
			[`/staff/orgs/${own.org}/locations/${own.location}?/save`, { name: `場所${NUL}`, prefecture: '東京都' }],
			[`/staff/orgs/${own.org}/events/${own.occurrence}?/cancel`, { note: `お知らせ${NUL}` }],
			[`/staff/orgs/${own.org}/events/new`, { programId: own.program, day: '2030-01-05', start: '10:00', kind: 'session', capacityUnit: 'people', title: `題${NUL}` }]
		];
		for (const [url, body] of posts) {
			const response = await page(url, url.startsWith('/staff') ? 'staff' : 'anonymous', form(body));
			expect(response.status, url).toBe(400);
			expect(await response.text(), url).toContain('制御文字');
		}
	});

	it('refuses text/plain and broken multipart posts to a form action with 400', async () => {
		for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'multipart/form-data' }, { 'content-type': 'multipart/form-data; boundary=zzz' }]) {
			const response = await page('/login', 'anonymous', { method: 'POST', headers, body: 'email=a' });
			expect(response.status, headers['content-type']).toBe(400);
			expect(await response.text()).toContain('フォームとして読み取れません');
		}
	});
});

describe('redirect targets from the request', () => {
	const staffCookie = () => ({ cookie: `tsunagu_session=${cast.people.staff.token}` });
	const go = (url: string, init: RequestInit = {}) => fetch(app.baseUrl + url, { redirect: 'manual', ...init, headers: { accept: 'text/html', ...staffCookie(), ...(init.headers as Record<string, string>) } });

	it.each([
		['/%09/evil.example/phish', '/staff'],
		['/%0D%0A/evil.example', '/staff'],
		['/%0A', '/staff'],
		['/%5Cevil.example', '/staff'],
		['//evil.example', '/staff'],
		['/%E3%81%82', '/%E3%81%82'],
		['/staff/orgs?x=%E3%81%82', '/staff/orgs?x=%E3%81%82']
	])('/login?next=%s sends a signed-in person to %s', async (next, expected) => {
		const response = await go(`/login?next=${next}`);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(expected);
	});

	it.each(['/\t/evil.example/phish', '/\n/evil.example', '/\\evil.example', '//evil.example', 'https://evil.example/'])('/settings back=%j goes home', async (back) => {
		const response = await go('/settings?/lang', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ lang: 'ja', back }).toString() });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
	});

	it('keeps a Japanese path in /settings back, encoded', async () => {
		const response = await go('/settings?/lang', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ lang: 'ja', back: '/search?q=こども食堂' }).toString() });
		expect(response.headers.get('location')).toBe('/search?q=%E3%81%93%E3%81%A9%E3%82%82%E9%A3%9F%E5%A0%82');
	});
});

describe('request ids', () => {
	it('writes our own id into the audit log, never the one the client sent', async () => {
		for (const sent of ['client-chosen-id', 'forged id; actor=someone-else', 'a'.repeat(64)]) {
			const response = await fetch(`${app.baseUrl}/staff/orgs/${own.org}/audit.csv`, { headers: { cookie: `tsunagu_session=${cast.people.org_admin.token}`, 'x-request-id': sent } });
			expect(response.status).toBe(200);
			await response.arrayBuffer();
			const ours = response.headers.get('x-request-id');
			expect(ours).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
			const row = (await admin.query(`select request_id from audit_events where organization_id = $1 order by id desc limit 1`, [own.org])).rows[0];
			expect(row.request_id).toBe(ours);
			expect(row.request_id).not.toBe(sent);
		}
	});

	it('logs our own id, never the one the client sent', async () => {
		const sent = 'forged-request-id-0001';
		const response = await fetch(`${app.baseUrl}/search?q=%00`, { headers: { 'x-request-id': sent } });
		expect(response.status).toBe(400);
		const ours = response.headers.get('x-request-id')!;
		await new Promise((r) => setTimeout(r, 100));
		const line = app
			.output()
			.split('\n')
			.find((l) => l.includes('"input_refused"') && l.includes(ours));
		expect(line).toBeDefined();
		expect(JSON.parse(line!).requestId).toBe(ours);
		expect(app.output()).not.toContain(`"requestId":"${sent}"`);
	});
});
