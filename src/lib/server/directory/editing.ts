/**
 * Staff editing their organisation's directory pages (/staff/orgs/[orgId]/…): the profile, places
 * and programs, as operations in the organisation's scope. Each opens its own transaction, checks
 * that what it touches is the organisation's own (another organisation's id is `not_found`, a
 * program held at another organisation's place `foreign_location`), writes its audit record as
 * the transaction's last write, and answers a refusal as a value. The reads the pages show are
 * here too, in the same scope; the queries themselves are in listings.ts.
 */
import { recordAudit, type AuditOrigin } from '../audit';
import { ok, refused, runIn, type OrganizationScope, type Result, type Tx } from '../scope';
import { locationForStaff, locationsOf, organizationForStaff, programsOf, saveLocation, saveProgram, setOrganizationPublished, setOrganizationShowsAttendance, setProgramPublished, updateProfile, type LocationFields, type ProfileInput, type ProgramEdit } from './listings';
import { createMemberOrganization } from './organizations';
import { isWholeDay } from './schedule';

/**
 * A transaction that may write an organisation's directory rows: the organisation's own, or the
 * secretariat's (a region-wide spreadsheet import writes many organisations in one transaction).
 */
export type DirectoryTx = Tx<'organization' | 'secretariat'>;

/** The scope's organisation, its place or its program does not exist (or is another's). */
export type NotFound = 'not_found';
/** A program's place must be one of the organisation's own. */
export type ProgramRefusal = NotFound | 'foreign_location';

// ── reads for the staff pages ──────────────────────────────────────────────────────────────────

/** The scope's organisation as staff edit it; null when there is no such organisation. */
export async function ownOrganization(scope: OrganizationScope) {
	return runIn(scope, (tx) => organizationForStaff(tx, scope.organizationId));
}

/** The organisation with its places (by name); null when there is no such organisation. */
export async function ownLocations(scope: OrganizationScope) {
	return runIn(scope, async (tx) => {
		const organization = await organizationForStaff(tx, scope.organizationId);
		if (!organization) return null;
		return { organization, locations: await locationsOf(tx, scope.organizationId) };
	});
}

/** One of the organisation's places with the organisation; null for another organisation's id. */
export async function ownLocation(scope: OrganizationScope, input: { locationId: string }) {
	return runIn(scope, async (tx) => {
		const organization = await organizationForStaff(tx, scope.organizationId);
		const location = await locationForStaff(tx, scope.organizationId, input.locationId);
		return organization && location ? { organization, location } : null;
	});
}

/** The organisation with its programs (published first); null when there is no such organisation. */
export async function ownPrograms(scope: OrganizationScope) {
	return runIn(scope, async (tx) => {
		const organization = await organizationForStaff(tx, scope.organizationId);
		if (!organization) return null;
		// Whether the next date is a whole day is the directory's reading of how it stores one (isWholeDay).
		const programs = (await programsOf(tx, scope.organizationId)).map((p) => ({ ...p, nextAllDay: p.nextStartsAt !== null && isWholeDay(p.nextStartsAt, p.nextEndsAt) }));
		return { organization, programs };
	});
}

// ── the profile ────────────────────────────────────────────────────────────────────────────────

/** Save the profile (audit `organization.update` with the changed fields, when any changed). */
export async function editProfile(scope: OrganizationScope, input: { profile: ProfileInput; today: string }): Promise<Result<{ changed: string[] }, NotFound>> {
	return runIn(scope, (tx) => editProfileIn(tx, scope.origin, scope.organizationId, input));
}

/** `editProfile` inside the caller's transaction (its audit record included). */
export async function editProfileIn(tx: DirectoryTx, origin: AuditOrigin, organizationId: string, input: { profile: ProfileInput; today: string }): Promise<Result<{ changed: string[] }, NotFound>> {
	if (!(await organizationForStaff(tx, organizationId))) return refused('not_found');
	const changed = await updateProfile(tx, organizationId, input.profile, input.today);
	if (changed.length) await recordAudit(tx, origin, { action: 'organization.update', organizationId, entityType: 'organization', entityId: organizationId, changedFields: changed });
	return ok({ changed });
}

/**
 * A new organisation entered by the secretariat (a region-wide import) with the profile's fields,
 * on the public pages only when the import says so (audit `organization.create` with the fields
 * filled in, `published` among them when it is shown).
 */
export async function createOrganizationIn(tx: Tx<'secretariat'>, origin: AuditOrigin, input: { profile: ProfileInput; today: string; published: boolean }): Promise<{ id: string }> {
	const id = await createMemberOrganization(tx, { name: input.profile.name });
	await updateProfile(tx, id, input.profile, input.today);
	if (!input.published) await setOrganizationPublished(tx, id, false);
	const filled = (Object.keys(input.profile) as (keyof ProfileInput)[]).filter((k) => input.profile[k] !== null && input.profile[k] !== '');
	await recordAudit(tx, origin, { action: 'organization.create', organizationId: id, entityType: 'organization', entityId: id, changedFields: input.published ? [...filled, 'published'] : filled });
	return { id };
}

/** Show or hide the organisation on the public pages (audit `organization.publish` / `.unpublish`). */
export async function publishOrganization(scope: OrganizationScope, input: { published: boolean }): Promise<Result<void, NotFound>> {
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		if (!(await setOrganizationPublished(tx, organizationId, input.published))) return refused('not_found');
		await recordAudit(tx, scope.origin, { action: input.published ? 'organization.publish' : 'organization.unpublish', organizationId, entityType: 'organization', entityId: organizationId, changedFields: ['published'] });
		return ok();
	});
}

/** The organisation's choice to show attendance figures on its public program pages (audit `organization.attendance_display`). */
export async function showAttendanceOnPrograms(scope: OrganizationScope, input: { show: boolean }): Promise<Result<void, NotFound>> {
	const { organizationId } = scope;
	return runIn(scope, async (tx) => {
		if (!(await setOrganizationShowsAttendance(tx, organizationId, input.show))) return refused('not_found');
		await recordAudit(tx, scope.origin, { action: 'organization.attendance_display', organizationId, entityType: 'organization', entityId: organizationId, changedFields: ['show_attendance'] });
		return ok();
	});
}

// ── places ─────────────────────────────────────────────────────────────────────────────────────

/**
 * A new place of the organisation (audit `location.create` with the fields filled in); `placed`
 * says whether it got a point (see SaveLocationResult), so staff can be told when it did not.
 */
export async function addLocation(scope: OrganizationScope, input: { location: LocationFields; today: string }): Promise<Result<{ id: string; placed: boolean }, NotFound>> {
	return runIn(scope, (tx) => addLocationIn(tx, scope.origin, scope.organizationId, input));
}

/** `addLocation` inside the caller's transaction (its audit record included). */
export async function addLocationIn(tx: DirectoryTx, origin: AuditOrigin, organizationId: string, input: { location: LocationFields; today: string }): Promise<Result<{ id: string; placed: boolean }, NotFound>> {
	if (!(await organizationForStaff(tx, organizationId))) return refused('not_found');
	const created = await saveLocation(tx, organizationId, null, input.location, input.today);
	if (!created) return refused('not_found');
	await recordAudit(tx, origin, { action: 'location.create', organizationId, entityType: 'location', entityId: created.id, changedFields: created.changed });
	return ok({ id: created.id, placed: created.placed });
}

/**
 * Change one of the organisation's places; programs held there are re-indexed (audit
 * `location.update` with the changed fields, when any changed); `placed` as for addLocation.
 */
export async function editLocation(scope: OrganizationScope, input: { locationId: string; location: LocationFields; today: string }): Promise<Result<{ id: string; changed: string[]; placed: boolean }, NotFound>> {
	return runIn(scope, (tx) => editLocationIn(tx, scope.origin, scope.organizationId, input));
}

/** `editLocation` inside the caller's transaction (its audit record included). */
export async function editLocationIn(tx: DirectoryTx, origin: AuditOrigin, organizationId: string, input: { locationId: string; location: LocationFields; today: string }): Promise<Result<{ id: string; changed: string[]; placed: boolean }, NotFound>> {
	const saved = await saveLocation(tx, organizationId, input.locationId, input.location, input.today);
	if (!saved) return refused('not_found');
	if (saved.changed.length) await recordAudit(tx, origin, { action: 'location.update', organizationId, entityType: 'location', entityId: saved.id, changedFields: saved.changed });
	return ok({ id: saved.id, changed: saved.changed, placed: saved.placed });
}

// ── programs ───────────────────────────────────────────────────────────────────────────────────

/**
 * Work of another module that follows a saved program in the same transaction, before the audit
 * record (the events module's dated sessions follow the schedules). The directory does not import
 * events (events reads the directory), so the app layer that spans both passes it in.
 */
export type AfterProgramSave = (tx: DirectoryTx, programId: string) => Promise<void>;

/**
 * Create (`programId` null: an unpublished draft) or update one of the organisation's programs
 * with its places (the organisation's own, in order) and schedules (audit `program.create` /
 * `program.update` with the changed fields, when any changed).
 */
export async function editProgram(scope: OrganizationScope, input: { programId: string | null; edit: ProgramEdit; locationIds: string[]; today: string }, after?: AfterProgramSave): Promise<Result<{ programId: string; changed: string[] }, ProgramRefusal>> {
	return runIn(scope, (tx) => editProgramIn(tx, scope.origin, scope.organizationId, input, after));
}

/** `editProgram` inside the caller's transaction (its audit record included). */
export async function editProgramIn(tx: DirectoryTx, origin: AuditOrigin, organizationId: string, input: { programId: string | null; edit: ProgramEdit; locationIds: string[]; today: string }, after?: AfterProgramSave): Promise<Result<{ programId: string; changed: string[] }, ProgramRefusal>> {
	const saved = await saveProgram(tx, organizationId, input.programId, input.edit, input.locationIds, input.today);
	if (!saved.ok) return saved;
	const { programId, changed } = saved.value;
	if (after) await after(tx, programId);
	if (changed.length) await recordAudit(tx, origin, { action: input.programId ? 'program.update' : 'program.create', organizationId, entityType: 'program', entityId: programId, changedFields: changed });
	return saved;
}

/**
 * Publish or unpublish one of the organisation's programs (audit `program.publish` /
 * `.unpublish`). The secretariat reaches every organisation's programs this way.
 */
export async function publishProgram(scope: OrganizationScope, input: { programId: string; published: boolean }): Promise<Result<void, NotFound>> {
	return runIn(scope, (tx) => publishProgramIn(tx, scope.origin, scope.organizationId, input));
}

/** `publishProgram` inside the caller's transaction (its audit record included). */
export async function publishProgramIn(tx: DirectoryTx, origin: AuditOrigin, organizationId: string, input: { programId: string; published: boolean }): Promise<Result<void, NotFound>> {
	if (!(await setProgramPublished(tx, organizationId, input.programId, input.published))) return refused('not_found');
	await recordAudit(tx, origin, { action: input.published ? 'program.publish' : 'program.unpublish', organizationId, entityType: 'program', entityId: input.programId, changedFields: ['published'] });
	return ok();
}
