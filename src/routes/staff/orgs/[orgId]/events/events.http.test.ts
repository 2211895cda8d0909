/**
 * Issue 16's leftovers on the dates' pages, over HTTP against the built app as a browser without
 * JavaScript meets them: a date's own registration window (Japanese message beside the field, nothing
 * written on bad input), a one-off date starting from its program's registration defaults, the
 * resident's own page showing their answers (and another registration's link not), and
 * 「もう一度送る」 for failed notices — only the organisation's staff may press it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { useApp } from '../../../../../../tests/helpers/app';
import { makeOccurrence, makeProgram, residentOn, uniqueTag } from '../../../../../../tests/helpers/factories';
import { organizationScopeOf } from '../../../../../../tests/helpers/scopes';
import { addDays } from '$lib/server/directory';
import { useDatabase } from '$lib/server/db';
import { todayInTokyo } from '$lib/server/clock';
import { readAnswers, register, saveRegistrationDefaults, NO_DEFAULTS } from '$lib/server/events';
import { arriveFromList } from '$lib/server/participation';
import type { Question } from '$lib/server/events/questions';

const app = useApp({ seed: 'ev16' });
// The module operations called here to set things up (defaults) open this test's database.
beforeAll(() => useDatabase(app.database));
const staff = () => app.cast.people.staff.token;
const textOf = async (response: Response) => (await response.text()).replace(/<!--.*?-->/g, '');

const ALLERGY: Question = { id: 'qallergy', kind: 'text', label: 'アレルギー', required: false, sensitive: true };

async function program(): Promise<string> {
	return makeProgram(app.database.db, app.cast.orgA, { schedule: null });
}
const occurrenceRow = async (id: string) => (await app.admin.query('select * from occurrences where id = $1', [id])).rows[0];

describe('a date’s own registration window', () => {
	it('is saved from the settings form in Tokyo time, and a close before the open is refused in Japanese with nothing written', async () => {
		const date = await makeOccurrence(app.database.db, app.cast.orgA, await program(), { inDays: 20 });
		const path = `/staff/orgs/${app.cast.orgA}/events/${date.id}`;
		const form = await textOf(await app.get(path, staff()));
		expect(form).toContain('<label for="opens-at">受付開始(日本時間)</label>');
		expect(form).toContain('name="registrationClosesAt" type="datetime-local"');

		const before = await occurrenceRow(date.id);
		const bad = await app.post(`${path}?/settings`, { kind: 'session', registrationOpen: 'on', capacity: '8', capacityUnit: 'people', registrationOpensAt: '2030-01-10T09:00', registrationClosesAt: '2030-01-05T09:00' }, staff());
		expect(bad.status).toBe(400);
		const html = await textOf(bad);
		expect(html).toMatch(/id="closes-at-error"[^>]*>受付締切は、受付開始より後の日時にしてください。/);
		expect(html).toContain('value="2030-01-10T09:00"');
		expect(await occurrenceRow(date.id)).toEqual(before);

		const good = await app.post(`${path}?/settings`, { kind: 'session', registrationOpen: 'on', capacity: '8', capacityUnit: 'people', registrationOpensAt: '2030-01-05T09:00', registrationClosesAt: '2030-01-10T18:30' }, staff());
		expect(good.status).toBe(303);
		const saved = await occurrenceRow(date.id);
		expect(saved.registration_opens_at.toISOString()).toBe('2030-01-05T00:00:00.000Z');
		expect(saved.registration_closes_at.toISOString()).toBe('2030-01-10T09:30:00.000Z');
		expect(saved.follows_program).toBe(false);
		const audit = (await app.admin.query(`select changed_fields from audit_events where action = 'occurrence.settings' and entity_id = $1`, [date.id])).rows;
		expect(audit).toHaveLength(1);
		expect(audit[0].changed_fields).toEqual(expect.arrayContaining(['registrationOpensAt', 'registrationClosesAt']));
		// Shown again as saved.
		expect(await textOf(await app.get(path, staff()))).toContain('value="2030-01-05T09:00"');
	});
});

describe('a one-off date', () => {
	it('starts from the program’s registration defaults and follows them unless staff choose its own', async () => {
		const programId = await program();
		const scope = organizationScopeOf(app.cast.people.staff.userId, app.cast.orgA, 'staff', 'events.manage');
		expect((await saveRegistrationDefaults(scope, { programId, defaults: { ...NO_DEFAULTS, registrationOpen: true, capacity: 12, capacityUnit: 'groups', opensDaysBefore: 7, closesHoursBefore: 2 }, today: todayInTokyo() })).ok).toBe(true);
		const page = await textOf(await app.get(`/staff/orgs/${app.cast.orgA}/events/new?program=${programId}`, staff()));
		expect(page).toMatch(/name="settingsFrom" value="program" checked/);
		expect(page).toContain('id="capacity" name="capacity" inputmode="numeric" value="12"');
		expect(page).toContain('下の項目には、取組の申込の設定を入れてあります。');

		const day = addDays(todayInTokyo(), 30);
		const created = await app.post(`/staff/orgs/${app.cast.orgA}/events/new`, { programId, title: 'おまけの回', day, start: '10:00', end: '12:00', kind: 'session', settingsFrom: 'program', capacity: '12', capacityUnit: 'groups' }, staff());
		expect(created.status).toBe(303);
		const id = created.headers.get('location')!.split('/events/')[1].split('?')[0];
		const row = await occurrenceRow(id);
		expect(row).toMatchObject({ follows_program: true, registration_open: true, capacity: 12, capacity_unit: 'groups' });
		expect(row.registration_opens_at.toISOString()).toBe(new Date(`${addDays(day, -7)}T00:00:00+09:00`).toISOString());
	});
});

describe('the resident’s own registration page', () => {
	it('shows the answers they gave, and another registration’s link does not', async () => {
		const date = await makeOccurrence(app.database.db, app.cast.orgA, await program(), { inDays: 15 });
		const answered = readAnswers(
			[ALLERGY],
			(() => {
				const f = new FormData();
				f.set('a.qallergy', 'そばと卵');
				return f;
			})(),
			1
		);
		if (!answered.ok) throw new Error('answers');
		const person = (name: string) => ({ name, contact: `${uniqueTag()}@example.org`, groupSize: 1, needs: '', card: '', consent: 'on' as const, submissionKey: `ev16-${randomUUID()}` });
		const mine = await register(residentOn(app.database.db), { occurrenceId: date.id, registration: person('さくら'), cardId: null, answers: answered.value });
		const other = await register(residentOn(app.database.db), { occurrenceId: date.id, registration: person('もも'), cardId: null });
		if (!mine.ok || !other.ok) throw new Error('register');

		const own = await textOf(await app.get(`/registrations/${mine.value.token!}`));
		expect(own).toContain('申込のときの回答');
		expect(own).toMatch(/<dt>アレルギー<\/dt>\s*<dd class="pre-line">そばと卵<\/dd>/);
		const theirs = await app.get(`/registrations/${other.value.token!}`);
		expect(theirs.status).toBe(200);
		const html = await textOf(theirs);
		expect(html).not.toContain('そばと卵');
		expect(html).not.toContain('申込のときの回答');
		// A link that is no registration's shows nothing.
		expect((await app.get(`/registrations/${randomUUID().replaceAll('-', '')}aaaaaaaaaa`)).status).toBe(404);
	});
});

describe('the resident’s page after arriving', () => {
	it('says 来場済み, not 参加予定 beside 受付済み, and offers no cancellation', async () => {
		const date = await makeOccurrence(app.database.db, app.cast.orgA, await program(), { inDays: 1 });
		const made = await register(residentOn(app.database.db), {
			occurrenceId: date.id,
			registration: { name: 'はるか', contact: `${uniqueTag()}@example.org`, groupSize: 2, needs: '', card: '', consent: 'on', submissionKey: `ev16-${randomUUID()}` },
			cardId: null
		});
		if (!made.ok) throw new Error('register');
		const before = await textOf(await app.get(`/registrations/${made.value.token!}`));
		expect(before).toMatch(/<strong id="status">参加予定<\/strong>/);
		const arrived = await arriveFromList(organizationScopeOf(app.cast.people.staff.userId, app.cast.orgA, 'staff', 'attendance.record'), { occurrenceId: date.id, registrationId: made.value.registrationId });
		expect(arrived.ok).toBe(true);
		const after = await textOf(await app.get(`/registrations/${made.value.token!}`));
		expect(after).toMatch(/<strong id="status">来場済み<\/strong>/);
		expect(after).not.toContain('参加予定');
		expect(after).not.toContain('?/cancel');
	});
});

describe('「もう一度送る」 for failed notices', () => {
	it('sends them again for the organisation’s staff; another organisation’s staff get 403 or 404 and anonymous visitors the login', async () => {
		const date = await makeOccurrence(app.database.db, app.cast.orgA, await program(), { inDays: 9 });
		const r = await register(residentOn(app.database.db), { occurrenceId: date.id, registration: { name: 'ゆき', contact: `yuki-${uniqueTag()}@example.org`, groupSize: 1, needs: '', card: '', consent: 'on', submissionKey: `ev16-${randomUUID()}` }, cardId: null });
		if (!r.ok) throw new Error(r.reason);
		await app.admin.query(`update occurrences set status = 'cancelled' where id = $1`, [date.id]);
		const [notice] = (
			await app.admin.query(`insert into registration_notices (organization_id, registration_id, kind, change_key, channel, outcome, last_tried_at) values ($1, $2, 'cancelled', $3, 'email', 'failed', now() - interval '5 minutes') returning id`, [
				app.cast.orgA,
				r.value.registrationId,
				`cancelled@${new Date().toISOString()}`
			])
		).rows;
		const path = `/staff/orgs/${app.cast.orgA}/events/${date.id}`;
		const state = async () => (await app.admin.query('select outcome, attempts from registration_notices where id = $1', [notice.id])).rows[0];

		const anonymous = await app.post(`${path}?/retry`, {});
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toMatch(/^\/login/);
		expect((await app.post(`${path}?/retry`, {}, app.cast.people.staffB.token)).status).toBe(403);
		expect((await app.post(`/staff/orgs/${app.cast.orgB}/events/${date.id}?/retry`, {}, app.cast.people.staffB.token)).status).toBe(404);
		expect(await state()).toEqual({ outcome: 'failed', attempts: 1 });

		const page = await textOf(await app.get(path, staff()));
		expect(page).toContain('送れなかったお知らせが1件あります。');
		expect(page).toContain('もう一度送る');
		const sent = await app.post(`${path}?/retry`, {}, staff());
		expect(sent.status).toBe(303);
		expect(sent.headers.get('location')).toBe(`${path}?done=retried`);
		expect(await state()).toEqual({ outcome: 'sent', attempts: 2 });
		// Pressed again: nothing left to send, said in Japanese.
		const again = await app.post(`${path}?/retry`, {}, staff());
		expect(again.status).toBe(409);
		expect(await textOf(again)).toContain('いま送り直せるお知らせはありません。');
		expect(await state()).toEqual({ outcome: 'sent', attempts: 2 });
	});
});

describe('the program’s registration settings', () => {
	it('warn while the program still tells residents 予約不要 and its dates take registrations', async () => {
		const programId = await makeProgram(app.database.db, app.cast.orgA, { schedule: null, edit: { joinMethod: 'no_registration' } });
		const path = `/staff/orgs/${app.cast.orgA}/programs/${programId}/registration`;
		// Registration off: 予約不要 is true, nothing to say.
		expect(await textOf(await app.get(path, staff()))).not.toContain('id="join-method-note"');
		const scope = organizationScopeOf(app.cast.people.staff.userId, app.cast.orgA, 'staff', 'events.manage');
		expect((await saveRegistrationDefaults(scope, { programId, defaults: { ...NO_DEFAULTS, registrationOpen: true, capacity: 10, capacityUnit: 'groups' }, today: todayInTokyo() })).ok).toBe(true);
		const page = await textOf(await app.get(path, staff()));
		expect(page).toMatch(/id="join-method-note"[^>]*>[^<]*「予約不要」/);
		expect(page).toContain(`href="/staff/orgs/${app.cast.orgA}/programs/${programId}#f-joinMethod"`);
	});
});
