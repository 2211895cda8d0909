/** Staff edits as operations in an organisation's scope: their rules, refusals and audit records. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { RequestEvent } from '@sveltejs/kit';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganizationWithProgram } from '../../../../tests/helpers/factories';
import { programEdit } from '../../../../tests/helpers/program';
import type { Database } from '../db';
import { asSystem } from '../db/tenant';
import { useDatabase } from '../db';
import type { Actor } from '../auth/actor';
import { requireOrganization } from '../auth/guard';
import type { OrganizationScope } from '../scope';
import { addLocation, editLocation, editProfile, editProgram, ownLocations, ownOrganization, ownPrograms, publishOrganization, publishProgram, showAttendanceOnPrograms } from './editing';
import type { LocationFields } from './listings';

let database: Database;
let scope: OrganizationScope;
let orgA: string;
let programB: string;
let placeB: string;
const today = '2026-11-23';
const place: LocationFields = { name: 'ひまわり会館', prefecture: '東京都', city: '荒川区', line: null, postalCode: null, lat: null, lng: null, accessibility: null, transport: null };

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	const a = await makeOrganizationWithProgram(database.db);
	const b = await makeOrganizationWithProgram(database.db);
	[orgA, programB, placeB] = [a.organizationId, b.programId, b.placeId];
	const actor: Actor = { userId: randomUUID(), email: 'editing@example.org', displayName: 'editing', sessionId: 's', memberships: [{ organizationId: orgA, organizationName: 'A', role: 'org_admin' }], secretariat: false, mfaRequired: false, mfaEnrolled: false };
	const request = { locals: { actor, ip: '192.0.2.20', userAgent: 'vitest', requestId: 'editing-test' }, url: new URL('http://localhost/staff'), params: { orgId: orgA } } as unknown as RequestEvent;
	scope = requireOrganization(request, 'directory.edit');
});
afterAll(() => database.close());

type AuditRow = { action: string; organization_id: string; entity_type: string; entity_id: string; changed_fields: string[] | null; actor_user_id: string; request_id: string };
const audited = async (entityId: string) => (await asSystem(database.db, (tx) => tx.execute<AuditRow>(sql`select action, organization_id, entity_type, entity_id, changed_fields, actor_user_id, request_id from audit_events where entity_id = ${entityId} order by id`))).rows;

describe('places', () => {
	it('are added and changed with their audit records, and another organisation’s is not found', async () => {
		const added = await addLocation(scope, { location: place, today });
		if (!added.ok) throw new Error(added.reason);
		const changed = await editLocation(scope, { locationId: added.value.id, location: { ...place, city: '足立区' }, today });
		// A place saved without coordinates gets its 市区町村's point, so moving it moves them too.
		expect(changed).toEqual({ ok: true, value: { id: added.value.id, changed: ['city', 'lat', 'lng'], placed: true } });
		// Nothing changed: nothing recorded.
		expect((await editLocation(scope, { locationId: added.value.id, location: { ...place, city: '足立区' }, today })).ok).toBe(true);
		const rows = await audited(added.value.id);
		expect(rows.map((r) => [r.action, r.changed_fields])).toEqual([
			['location.create', ['name', 'prefecture', 'city', 'lat', 'lng']],
			['location.update', ['city', 'lat', 'lng']]
		]);
		expect(rows[0]).toMatchObject({ organization_id: orgA, entity_type: 'location', actor_user_id: scope.actor.userId, request_id: 'editing-test' });
		expect(await editLocation(scope, { locationId: placeB, location: place, today })).toEqual({ ok: false, reason: 'not_found' });
		expect((await ownLocations(scope))?.locations.map((l) => l.id)).toContain(added.value.id);
	});
});

describe('programs', () => {
	it('are created as drafts, with the work of another module run before the audit record', async () => {
		const seen: string[] = [];
		const created = await editProgram(scope, { programId: null, edit: programEdit({ title: '操作で作った食堂' }), locationIds: [], today }, async (tx, id) => {
			// Same transaction: the new program is visible, its audit record is not yet written.
			const rows = await tx.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where entity_id = ${id}`);
			seen.push(id, String(rows.rows[0].n));
		});
		if (!created.ok) throw new Error(created.reason);
		expect(seen).toEqual([created.value.programId, '0']);
		expect((await audited(created.value.programId)).map((r) => r.action)).toEqual(['program.create']);
		const again = await editProgram(scope, { programId: created.value.programId, edit: programEdit({ title: '操作で作った食堂', summary: '新しい説明' }), locationIds: [], today });
		expect(again).toEqual({ ok: true, value: { programId: created.value.programId, changed: ['summary'] } });
		expect(await publishProgram(scope, { programId: created.value.programId, published: true })).toEqual({ ok: true, value: undefined });
		expect((await audited(created.value.programId)).map((r) => [r.action, r.changed_fields])).toEqual([
			['program.create', expect.arrayContaining(['title', 'schedules', 'locations'])],
			['program.update', ['summary']],
			['program.publish', ['published']]
		]);
		expect((await ownPrograms(scope))?.programs.find((p) => p.id === created.value.programId)?.published).toBe(true);
	});

	it('saved again as the form sends it, unchanged, record no change and keep their last change (「最終更新」)', async () => {
		// As a casebook loads them: codes in the source's order, a rule without INTERVAL, no exceptions.
		const stored = programEdit({ title: '並び順の食堂', forms: ['kodomo_shokudo', 'ibasho'], targets: ['residents', 'economic_hardship'], lifeStages: ['youth', 'elementary'] }, { rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', exdates: undefined as unknown as string[] });
		const created = await editProgram(scope, { programId: null, edit: stored, locationIds: [], today });
		if (!created.ok) throw new Error(created.reason);
		const { programId } = created.value;
		const stamp = async () => (await asSystem(database.db, (tx) => tx.execute<{ t: number }>(sql`select extract(epoch from updated_at)::float8 as t from programs where id = ${programId}`))).rows[0].t;
		const before = await stamp();
		// The staff form sends the codes in the taxonomy's order and the rule as it writes it (INTERVAL=1).
		const asTheFormSends = programEdit({ title: '並び順の食堂', forms: ['ibasho', 'kodomo_shokudo'], targets: ['economic_hardship', 'residents'], lifeStages: ['elementary', 'youth'] }, { rrule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR', exdates: [] });
		expect(await editProgram(scope, { programId, edit: asTheFormSends, locationIds: [], today })).toEqual({ ok: true, value: { programId, changed: [] } });
		expect(await stamp()).toBe(before);
		expect((await audited(programId)).map((r) => r.action)).toEqual(['program.create']);
		// A real change still counts, and dates the program.
		const changed = await editProgram(scope, { programId, edit: { ...asTheFormSends, targets: ['residents'] }, locationIds: [], today });
		expect(changed).toEqual({ ok: true, value: { programId, changed: ['targets'] } });
		expect(await stamp()).toBeGreaterThan(before);
	});

	it('refuse another organisation’s program or place, and record nothing', async () => {
		expect(await editProgram(scope, { programId: programB, edit: programEdit({ title: '乗っ取り' }), locationIds: [], today })).toEqual({ ok: false, reason: 'not_found' });
		expect(await editProgram(scope, { programId: null, edit: programEdit({ title: 'よその場所' }), locationIds: [placeB], today })).toEqual({ ok: false, reason: 'foreign_location' });
		expect(await publishProgram(scope, { programId: programB, published: false })).toEqual({ ok: false, reason: 'not_found' });
		expect(await audited(programB)).toEqual([]);
	});
});

describe('the profile', () => {
	it('records the changed fields, and publishing', async () => {
		const before = (await ownPrograms(scope))!.organization;
		const profile = { name: before.name, nameKana: null, legalForm: before.legalForm, representative: null, prefecture: before.prefecture, city: before.city, addressLine: null, postalCode: null, website: null, message: '毎月第1土曜日に集まります', description: before.description };
		expect(await editProfile(scope, { profile, today })).toEqual({ ok: true, value: { changed: ['message'] } });
		expect(await editProfile(scope, { profile, today })).toEqual({ ok: true, value: { changed: [] } });
		expect(await publishOrganization(scope, { published: true })).toEqual({ ok: true, value: undefined });
		expect((await audited(orgA)).map((r) => [r.action, r.changed_fields])).toEqual([
			['organization.update', ['message']],
			['organization.publish', ['published']]
		]);
	});

	it('records the choice to hide attendance on program pages', async () => {
		expect(await showAttendanceOnPrograms(scope, { show: false })).toEqual({ ok: true, value: undefined });
		expect((await ownOrganization(scope))?.showAttendance).toBe(false);
		expect(await showAttendanceOnPrograms(scope, { show: true })).toEqual({ ok: true, value: undefined });
		expect((await ownOrganization(scope))?.showAttendance).toBe(true);
		expect((await audited(orgA)).filter((r) => r.action === 'organization.attendance_display').map((r) => r.changed_fields)).toEqual([['show_attendance'], ['show_attendance']]);
	});
});
