/**
 * Case conferences (ケース会議) as their owning organisation and their participants work on them.
 *
 * Who sees what is decided by row-level security (drizzle/0015): the conference row, its
 * participants and its agreed actions by the owning organisation and the participants; the shared
 * summary and the minutes (conference_records) by the owning organisation always and by the
 * participants only while the database's now() is inside [starts_at, ends_at). `openConference`
 * shows the summary and minutes exactly when the database returns them — it never works the window
 * out itself. On top of that, an operation opens a conference only for the owning organisation's
 * managers (`conferences.manage` there) and for people named in it *for the scope's organisation*.
 *
 * Every view and change is recorded: in the acting organisation's audit log inside the
 * operation's transaction, and — for a participant from another organisation, whose context may
 * append only its own organisation's events — in the owner's log right after, through the
 * audited crossing `conference` (before anything is returned).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { can } from '../auth';
import { decryptText, encryptText } from '../crypto';
import { allOrganizations, organizationNames } from '../directory';
import { conferenceMembers } from '../network';
import { between, ok, refused, runAcross, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import { actionInput, conferenceInput, editInput, participantsInput, recordInput, type ActionInput, type ConferenceInput, type EditInput, type Participant, type RecordInput } from './model';
import { caseConferences, conferenceActions, conferenceParticipants, conferenceRecords } from './schema';

export const CONFERENCE_ENTITY = 'case_conference';
export type WindowState = 'before' | 'open' | 'after';

/** `not_found`: no such conference for this scope (another organisation's, or one the person is not named in for this organisation). */
export type ConferenceRefusal = 'not_found';
/** Why participants cannot be named: an organisation that does not exist, someone who is not a member of the organisation given (or whose role does not take part), a person twice. */
export type ParticipantRefusal = 'unknown_organization' | 'not_member' | 'duplicate';
/** `closed`: the window is over (or not yet open) for someone who is not the owner. */
export type RecordRefusal = ConferenceRefusal | 'closed';
export type ActionRefusal = ConferenceRefusal | 'closed' | 'not_participant';
export type DoneRefusal = ConferenceRefusal | 'not_assignee';

const bind = {
	agenda: (id: string, org: string) => ({ table: 'case_conferences', column: 'agenda_sealed', rowId: id, organizationId: org }),
	summary: (id: string, org: string) => ({ table: 'conference_records', column: 'summary_sealed', rowId: id, organizationId: org }),
	minutes: (id: string, org: string) => ({ table: 'conference_records', column: 'minutes_sealed', rowId: id, organizationId: org }),
	action: (id: string, org: string) => ({ table: 'conference_actions', column: 'description_sealed', rowId: id, organizationId: org })
};

/** The window as the database sees it now (the transaction's start). */
const windowState = sql<WindowState>`case when now() < ${caseConferences.startsAt} then 'before' when now() < ${caseConferences.endsAt} then 'open' else 'after' end`;

const managesHere = (scope: OrganizationScope) => can(scope.actor, 'conferences.manage', scope.organizationId);

interface Access {
	id: string;
	organizationId: string;
	title: string;
	agendaSealed: string | null;
	startsAt: Date;
	endsAt: Date;
	window: WindowState;
	/** The scope's organisation owns the conference and the person manages its conferences. */
	owned: boolean;
	/** The person is named in it for the scope's organisation. */
	participating: boolean;
}

/** The conference as this scope may open it, or null. */
async function access(tx: Tx<'organization'>, scope: OrganizationScope, conferenceId: string): Promise<Access | null> {
	const [row] = await tx
		.select({ id: caseConferences.id, organizationId: caseConferences.organizationId, title: caseConferences.title, agendaSealed: caseConferences.agendaSealed, startsAt: caseConferences.startsAt, endsAt: caseConferences.endsAt, window: windowState })
		.from(caseConferences)
		.where(eq(caseConferences.id, conferenceId));
	if (!row) return null;
	const [named] = await tx
		.select({ userId: conferenceParticipants.userId })
		.from(conferenceParticipants)
		.where(and(eq(conferenceParticipants.conferenceId, row.id), eq(conferenceParticipants.ownerOrganizationId, row.organizationId), eq(conferenceParticipants.userId, scope.actor.userId), eq(conferenceParticipants.organizationId, scope.organizationId)));
	const owned = row.organizationId === scope.organizationId && managesHere(scope);
	if (!owned && !named) return null;
	return { ...row, owned, participating: !!named };
}

/** The event in the acting organisation's log (the operation's transaction, its last write). */
const recordHere = (tx: Tx, scope: OrganizationScope, conferenceId: string, action: string, changedFields?: string[]) => recordAudit(tx, scope.origin, { action, organizationId: scope.organizationId, entityType: CONFERENCE_ENTITY, entityId: conferenceId, changedFields });

/** The same event in the owner's log, when the person acts for another organisation. */
async function recordForOwner(scope: OrganizationScope, conference: { id: string; organizationId: string }, action: string, changedFields?: string[]): Promise<void> {
	if (conference.organizationId === scope.organizationId) return;
	await runAcross(between(scope, conference.organizationId, 'conference'), (tx) => recordAudit(tx, scope.origin, { action, organizationId: conference.organizationId, entityType: CONFERENCE_ENTITY, entityId: conference.id, changedFields }));
}

// ——— naming participants ———

/**
 * Participants checked against the network: each organisation exists, each person is a member of
 * the organisation given in a role that takes part in conferences, nobody twice. Reads other
 * organisations' members through network's door (its read-only crossing).
 */
async function checkParticipants(scope: OrganizationScope, participants: readonly Participant[]): Promise<Result<void, ParticipantRefusal>> {
	const users = participants.map((p) => p.userId);
	if (new Set(users).size !== users.length) return refused('duplicate');
	const byOrg = new Map<string, string[]>();
	for (const p of participants) byOrg.set(p.organizationId, [...(byOrg.get(p.organizationId) ?? []), p.userId]);
	const known = await runIn(scope, (tx) => organizationNames(tx, [...byOrg.keys()]));
	if (known.size !== byOrg.size) return refused('unknown_organization');
	for (const [organizationId, userIds] of byOrg) {
		const members = await conferenceMembers(scope, organizationId, userIds);
		if (members.length !== new Set(userIds).size) return refused('not_member');
	}
	return ok();
}

/** The caller first, then the others as given (the caller is a participant by default). */
function withCaller(scope: OrganizationScope, participants: readonly Participant[]): Participant[] {
	const caller = { userId: scope.actor.userId, organizationId: scope.organizationId };
	return participants.some((p) => p.userId === caller.userId) ? [...participants] : [caller, ...participants];
}

async function replaceParticipants(tx: Tx<'organization'>, conferenceId: string, owner: string, participants: readonly Participant[]) {
	await tx.delete(conferenceParticipants).where(eq(conferenceParticipants.conferenceId, conferenceId));
	if (participants.length) await tx.insert(conferenceParticipants).values(participants.map((p) => ({ conferenceId, userId: p.userId, organizationId: p.organizationId, ownerOrganizationId: owner })));
}

// ——— operations ———

/** Call a conference (`conferences.manage`): the scope's organisation owns it; the caller takes part unless named otherwise. */
export async function createConference(scope: OrganizationScope, input: ConferenceInput): Promise<Result<{ id: string }, ParticipantRefusal>> {
	const data = conferenceInput.parse(input);
	const participants = withCaller(scope, data.participants);
	const checked = await checkParticipants(scope, participants);
	if (!checked.ok) return checked;
	return runIn(scope, async (tx) => {
		const id = randomUUID();
		const org = scope.organizationId;
		const agendaSealed = data.agenda ? await encryptText(tx, data.agenda, bind.agenda(id, org)) : null;
		await tx.insert(caseConferences).values({ id, organizationId: org, ownerUserId: scope.actor.userId, title: data.title, agendaSealed, startsAt: data.startsAt, endsAt: data.endsAt });
		await replaceParticipants(tx, id, org, participants);
		await tx.insert(conferenceRecords).values({ conferenceId: id, organizationId: org });
		await recordHere(tx, scope, id, 'conference.create');
		return ok({ id });
	});
}

/** The owner changes the title, agenda or window. */
export async function editConference(scope: OrganizationScope, input: EditInput): Promise<Result<void, ConferenceRefusal>> {
	const data = editInput.parse(input);
	return runIn(scope, async (tx) => {
		const conference = await access(tx, scope, data.conferenceId);
		if (!conference?.owned) return refused('not_found');
		const agendaSealed = data.agenda ? await encryptText(tx, data.agenda, bind.agenda(conference.id, conference.organizationId)) : null;
		await tx.update(caseConferences).set({ title: data.title, agendaSealed, startsAt: data.startsAt, endsAt: data.endsAt }).where(eq(caseConferences.id, conference.id));
		await recordHere(tx, scope, conference.id, 'conference.edit', ['title', 'agenda', 'starts_at', 'ends_at']);
		return ok();
	});
}

/** The owner names the participants (the whole list; at least one). */
export async function setParticipants(scope: OrganizationScope, input: { conferenceId: string; participants: Participant[] }): Promise<Result<void, ConferenceRefusal | ParticipantRefusal>> {
	const data = participantsInput.parse(input);
	const owned = await runIn(scope, async (tx) => (await access(tx, scope, data.conferenceId))?.owned ?? false);
	if (!owned) return refused('not_found');
	const checked = await checkParticipants(scope, data.participants);
	if (!checked.ok) return checked;
	return runIn(scope, async (tx) => {
		const conference = await access(tx, scope, data.conferenceId);
		if (!conference?.owned) return refused('not_found');
		await tx.select({ id: caseConferences.id }).from(caseConferences).where(eq(caseConferences.id, conference.id)).for('update');
		await replaceParticipants(tx, conference.id, conference.organizationId, data.participants);
		await recordHere(tx, scope, conference.id, 'conference.participants', ['participants']);
		return ok();
	});
}

/**
 * The shared summary and the minutes: the owner at any time, participants during the window. The
 * update goes through row-level security: a participant outside the window changes no row, and
 * that is the refusal (`closed`).
 */
export async function writeRecord(scope: OrganizationScope, input: RecordInput): Promise<Result<void, RecordRefusal>> {
	const data = recordInput.parse(input);
	const written = await runIn(scope, async (tx) => {
		const conference = await access(tx, scope, data.conferenceId);
		if (!conference) return refused('not_found');
		const { id, organizationId: org } = conference;
		const changed = await tx
			.update(conferenceRecords)
			.set({
				summarySealed: data.summary ? await encryptText(tx, data.summary, bind.summary(id, org)) : null,
				minutesSealed: data.minutes ? await encryptText(tx, data.minutes, bind.minutes(id, org)) : null,
				updatedAt: sql`now()`,
				updatedBy: scope.actor.userId
			})
			.where(and(eq(conferenceRecords.conferenceId, id), eq(conferenceRecords.organizationId, org)))
			.returning({ id: conferenceRecords.conferenceId });
		if (changed.length === 0) return refused('closed');
		await recordHere(tx, scope, id, 'conference.record', ['summary', 'minutes']);
		return ok(conference);
	});
	if (!written.ok) return written;
	await recordForOwner(scope, written.value, 'conference.record', ['summary', 'minutes']);
	return ok();
}

/** An agreed action: what, who (a participant), by when. The owner at any time, participants during the window. */
export async function addAction(scope: OrganizationScope, input: ActionInput): Promise<Result<{ id: string }, ActionRefusal>> {
	const data = actionInput.parse(input);
	const added = await runIn(scope, async (tx) => {
		const conference = await access(tx, scope, data.conferenceId);
		if (!conference) return refused('not_found');
		if (!conference.owned && conference.window !== 'open') return refused('closed');
		const [assignee] = await tx
			.select({ organizationId: conferenceParticipants.organizationId })
			.from(conferenceParticipants)
			.where(and(eq(conferenceParticipants.conferenceId, conference.id), eq(conferenceParticipants.ownerOrganizationId, conference.organizationId), eq(conferenceParticipants.userId, data.assigneeUserId)));
		if (!assignee) return refused('not_participant');
		const id = randomUUID();
		const descriptionSealed = await encryptText(tx, data.description, bind.action(id, conference.organizationId));
		await tx.insert(conferenceActions).values({ id, conferenceId: conference.id, organizationId: conference.organizationId, descriptionSealed, assigneeUserId: data.assigneeUserId, assigneeOrganizationId: assignee.organizationId, dueOn: data.dueOn });
		await recordHere(tx, scope, conference.id, 'conference.action_add');
		return ok({ conference, id });
	});
	if (!added.ok) return added;
	await recordForOwner(scope, added.value.conference, 'conference.action_add');
	return ok({ id: added.value.id });
}

/** The assignee marks their action done (once). */
export async function markActionDone(scope: OrganizationScope, input: { conferenceId: string; actionId: string }): Promise<Result<void, DoneRefusal>> {
	const marked = await runIn(scope, async (tx) => {
		const conference = await access(tx, scope, input.conferenceId);
		if (!conference) return refused('not_found');
		const changed = await tx
			.update(conferenceActions)
			.set({ doneAt: sql`now()` })
			.where(and(eq(conferenceActions.id, input.actionId), eq(conferenceActions.conferenceId, conference.id), eq(conferenceActions.organizationId, conference.organizationId), eq(conferenceActions.assigneeUserId, scope.actor.userId), isNull(conferenceActions.doneAt)))
			.returning({ id: conferenceActions.id });
		if (changed.length === 0) return refused('not_assignee');
		await recordHere(tx, scope, conference.id, 'conference.action_done', ['done_at']);
		return ok(conference);
	});
	if (!marked.ok) return marked;
	await recordForOwner(scope, marked.value, 'conference.action_done', ['done_at']);
	return ok();
}

// ——— reading ———

export interface ConferenceSummary {
	id: string;
	title: string;
	organizationId: string;
	organizationName: string;
	startsAt: Date;
	endsAt: Date;
	window: WindowState;
	/** Owned by the scope's organisation (else: the person is named in it). */
	owned: boolean;
}

/** The organisation's conferences (for its managers) and those the person is named in for it, latest first. Titles carry no names, so the list is not a recorded view. */
export async function conferencesOf(scope: OrganizationScope): Promise<ConferenceSummary[]> {
	return runIn(scope, async (tx) => {
		const named = sql`exists (select 1 from ${conferenceParticipants} p where p.conference_id = ${caseConferences.id} and p.owner_organization_id = ${caseConferences.organizationId} and p.user_id = ${scope.actor.userId} and p.organization_id = ${scope.organizationId})`;
		const rows = await tx
			.select({ id: caseConferences.id, title: caseConferences.title, organizationId: caseConferences.organizationId, startsAt: caseConferences.startsAt, endsAt: caseConferences.endsAt, window: windowState })
			.from(caseConferences)
			.where(managesHere(scope) ? or(eq(caseConferences.organizationId, scope.organizationId), named) : named)
			.orderBy(desc(caseConferences.startsAt), asc(caseConferences.id));
		const names = await organizationNames(tx, [...new Set(rows.map((r) => r.organizationId))]);
		return rows.map((r) => ({ ...r, organizationName: names.get(r.organizationId) ?? '', owned: r.organizationId === scope.organizationId }));
	});
}

export interface ConferenceParticipant {
	userId: string;
	organizationId: string;
	organizationName: string;
	/** Empty when the person is no longer a member who takes part. */
	displayName: string;
}

export interface ConferenceAction {
	id: string;
	description: string;
	assigneeUserId: string;
	assigneeName: string;
	assigneeOrganizationName: string;
	dueOn: string;
	doneAt: Date | null;
}

export interface ConferenceView {
	id: string;
	title: string;
	agenda: string | null;
	organizationId: string;
	organizationName: string;
	startsAt: Date;
	endsAt: Date;
	window: WindowState;
	owned: boolean;
	participating: boolean;
	/**
	 * Whether this person may write the record and add actions here: the owner always; a
	 * participant while the window is open and the database gave them the record (writeRecord and
	 * addAction refuse the rest as `closed`).
	 */
	mayWrite: boolean;
	participants: ConferenceParticipant[];
	/** The summary and minutes, when the database returned them to this person (null otherwise). */
	record: { summary: string | null; minutes: string | null; updatedAt: Date; updatedBy: string | null } | null;
	actions: ConferenceAction[];
}

/**
 * Open a conference: everything the database lets this person see, decrypted, and the view
 * recorded (`conference.view`: in the acting organisation's log, and in the owner's).
 */
export async function openConference(scope: OrganizationScope, input: { conferenceId: string }): Promise<Result<ConferenceView, ConferenceRefusal>> {
	const opened = await runIn(scope, async (tx) => {
		const conference = await access(tx, scope, input.conferenceId);
		if (!conference) return refused('not_found');
		const { id, organizationId: org } = conference;
		// Rows are read only where their organisation is the conference's owner (see row-level-security.test.ts, "policy gap").
		const participants = await tx
			.select()
			.from(conferenceParticipants)
			.where(and(eq(conferenceParticipants.conferenceId, id), eq(conferenceParticipants.ownerOrganizationId, org)))
			.orderBy(asc(conferenceParticipants.addedAt), asc(conferenceParticipants.userId));
		// Row-level security decides: outside the window a participant from elsewhere gets no row.
		const [record] = await tx
			.select()
			.from(conferenceRecords)
			.where(and(eq(conferenceRecords.conferenceId, id), eq(conferenceRecords.organizationId, org)));
		const actionRows = await tx
			.select()
			.from(conferenceActions)
			.where(and(eq(conferenceActions.conferenceId, id), eq(conferenceActions.organizationId, org)))
			.orderBy(asc(conferenceActions.dueOn), asc(conferenceActions.createdAt));
		const names = await organizationNames(tx, [...new Set([org, ...participants.map((p) => p.organizationId)])]);
		const value = {
			id,
			title: conference.title,
			agenda: conference.agendaSealed ? await decryptText(tx, conference.agendaSealed, bind.agenda(id, org)) : null,
			organizationId: org,
			organizationName: names.get(org) ?? '',
			startsAt: conference.startsAt,
			endsAt: conference.endsAt,
			window: conference.window,
			owned: conference.owned,
			participating: conference.participating,
			mayWrite: conference.owned || (conference.participating && conference.window === 'open' && record !== undefined),
			participants: participants.map((p) => ({ userId: p.userId, organizationId: p.organizationId, organizationName: names.get(p.organizationId) ?? '', displayName: '' })),
			record: record
				? {
						summary: record.summarySealed ? await decryptText(tx, record.summarySealed, bind.summary(id, org)) : null,
						minutes: record.minutesSealed ? await decryptText(tx, record.minutesSealed, bind.minutes(id, org)) : null,
						updatedAt: record.updatedAt,
						updatedBy: record.updatedBy
					}
				: null,
			actions: await Promise.all(
				actionRows.map(async (a) => ({
					id: a.id,
					description: await decryptText(tx, a.descriptionSealed, bind.action(a.id, org)),
					assigneeUserId: a.assigneeUserId,
					assigneeName: '',
					assigneeOrganizationName: names.get(a.assigneeOrganizationId) ?? '',
					dueOn: a.dueOn,
					doneAt: a.doneAt
				}))
			)
		} satisfies ConferenceView;
		await recordHere(tx, scope, id, 'conference.view');
		return ok(value);
	});
	if (!opened.ok) return opened;
	const view = opened.value;
	await recordForOwner(scope, view, 'conference.view');
	// Names: each organisation's members who take part, read through network's door.
	const people = new Map<string, string>();
	for (const organizationId of new Set([...view.participants.map((p) => p.organizationId)])) {
		const ids = view.participants.filter((p) => p.organizationId === organizationId).map((p) => p.userId);
		for (const m of await conferenceMembers(scope, organizationId, ids)) people.set(m.userId, m.displayName);
	}
	for (const p of view.participants) p.displayName = people.get(p.userId) ?? '';
	for (const a of view.actions) a.assigneeName = people.get(a.assigneeUserId) ?? '';
	return ok(view);
}

export interface ParticipantChoices {
	organizations: { id: string; name: string }[];
	/** The chosen organisation's members who may take part (the scope's own when none is chosen). */
	organizationId: string;
	members: { userId: string; displayName: string }[];
}

/** For the owner's participants form: the network's organisations, and one organisation's members who may take part. */
export async function participantChoices(scope: OrganizationScope, input: { organizationId?: string | null }): Promise<ParticipantChoices> {
	const organizations = (await runIn(scope, (tx) => allOrganizations(tx))).map((o) => ({ id: o.id, name: o.name }));
	const chosen = input.organizationId && organizations.some((o) => o.id === input.organizationId) ? input.organizationId : scope.organizationId;
	const members = (await conferenceMembers(scope, chosen)).map((m) => ({ userId: m.userId, displayName: m.displayName }));
	return { organizations, organizationId: chosen, members };
}
