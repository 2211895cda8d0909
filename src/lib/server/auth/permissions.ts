/**
 * Roles and what each may do: access-control data, so it lives in auth, the platform service that
 * answers "may this person do this here" (`can()`, ./actor.ts) and mints scopes carrying the
 * permission checked (src/lib/server/scope). Domain modules read it through auth's door (network
 * re-exports it from network/permissions.ts, so its callers did not change); auth imports no
 * domain module for it. The first wall of authorization: routes ask `can()` before they touch
 * data; row-level security (drizzle/0006) is the second wall and knows only organisations.
 */

/**
 * secretariat_admin runs the whole network (事務局) and is held at the organisation that hosts it;
 * the others act only inside their own organisation. The memberships table (network/schema.ts)
 * stores these names; its check constraint lists the same five.
 */
export const ROLES = ['secretariat_admin', 'org_admin', 'staff', 'counsellor', 'volunteer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
	'directory.edit', // the organisation's profile, programs, locations and schedules
	'members.manage', // invite, remove and change the role of members
	'audit.view', // the organisation's audit log
	'network.review', // join requests of new organisations
	'network.moderate', // unpublish anything in the network
	'network.audit', // the whole network's audit log
	'events.manage', // occurrences: cancel, move, one-off events, capacity and registration
	'registrations.view', // the names and contacts of people registered (personal data)
	'attendance.record', // check people in, count heads at the door
	'attendance.view', // the organisation's attendance figures
	'figures.view', // the organisation's figures page: each part for who may see it (attendance.view, consultations.read)
	'network.attendance', // the region's attendance figures, unsuppressed
	'network.triage', // review, save and activate the crisis triage rules
	'consultations.read', // the organisation's consultation inbox and threads (every opening audited)
	'consultations.reply', // answer, note, assign, set status and tags on the organisation's threads
	'network.consultation_figures', // every organisation's consultation counts and times, aggregates only, under 5 hidden
	'consultations.manage', // the organisation's consultation settings (first reply, drafting help, rota); no thread content
	'referrals.send', // refer a person to another organisation (with their consent or a recorded basis), follow what it sent, note consent given on paper or spoken
	'referrals.receive', // the referrals sent to the organisation, with the shared items (personal data; every view audited)
	'privacy.requests', // the people's requests to the organisation (disclosure, correction, deletion) and its provision records
	'conferences.manage', // call a case conference of the organisation, name its participants, write its summary
	'conferences.take_part', // open the case conferences one is named in (the summary only during the window)
	'network.referrals', // the secretariat's queue of stuck referrals and the network's referral figures (organisations and counts, never the person)
	'network.provisions', // every provision record in the network (29条), sharings without consent shown apart; CSV export
	'network.council', // declare the network a 孤独・孤立対策地域協議会 and name its members
	'network.opendata' // the licence the published directory is open data under, and its credit line
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Permissions a role grants inside the organisation where it is held. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
	// Consultations only for roles in MFA_ROLES (a second factor before any thread is read); the
	// secretariat answers the network's one window at its own organisation, never network-wide.
	secretariat_admin: [
		'directory.edit',
		'members.manage',
		'audit.view',
		'events.manage',
		'registrations.view',
		'attendance.record',
		'attendance.view',
		'figures.view',
		'consultations.read',
		'consultations.reply',
		'consultations.manage',
		'referrals.send',
		'referrals.receive',
		'privacy.requests',
		'conferences.manage',
		'conferences.take_part'
	],
	// consultations.manage reads and writes settings only (no thread, no person): no second factor needed.
	// Referrals and conferences carry personal data the same way registrations do (staff see those too).
	org_admin: ['directory.edit', 'members.manage', 'audit.view', 'events.manage', 'registrations.view', 'attendance.record', 'attendance.view', 'figures.view', 'consultations.manage', 'referrals.send', 'referrals.receive', 'privacy.requests', 'conferences.manage', 'conferences.take_part'],
	staff: ['directory.edit', 'events.manage', 'registrations.view', 'attendance.record', 'attendance.view', 'figures.view', 'referrals.send', 'referrals.receive', 'conferences.manage', 'conferences.take_part'],
	// Counsellors see their organisation's consultation figures on its figures page, not its attendance.
	counsellor: ['consultations.read', 'consultations.reply', 'figures.view', 'referrals.send', 'referrals.receive', 'conferences.manage', 'conferences.take_part'],
	// Volunteers staff the door: they count and check in, but see no names and no reports.
	volunteer: ['attendance.record']
};

/** Permissions over the whole network, held by a secretariat admin wherever they act. */
// Not registrations.view: the secretariat sees other organisations' participants only as counts.
export const NETWORK_PERMISSIONS: readonly Permission[] = [
	'network.review',
	'network.moderate',
	'network.audit',
	'network.attendance',
	'network.triage',
	'directory.edit',
	'members.manage',
	'audit.view',
	'events.manage',
	'attendance.view',
	'figures.view',
	'network.consultation_figures',
	'network.referrals',
	'network.provisions',
	'network.council',
	'network.opendata'
];

/** Roles whose holders must sign in with a second factor. */
export const MFA_ROLES: readonly Role[] = ['secretariat_admin', 'counsellor'];

/** Roles an organisation admin may hand out (the secretariat role only the secretariat can). */
export const ASSIGNABLE_ROLES: readonly Role[] = ['org_admin', 'staff', 'counsellor', 'volunteer'];
