/**
 * Over HTTP: the case conference pages. The organisation's staff call a conference (a bad form
 * comes back 400 in Japanese and creates nothing), name a participant of another organisation and
 * write the summary; that participant opens the conference under their own organisation's path and
 * reads the summary during the window, and afterwards sees that it is gone; a member of their
 * organisation who is not named gets a 404.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../tests/helpers/app';

let conferenceId = '';

const app = useApp({ seed: 'conferences-http', headers: { 'accept-language': 'ja' } });

const SUMMARY = '中学2年。4月から登校していない。母親と二人暮らし。';
const GONE = '会議の時間が終わったため、共有された概要は見られません';
const { get } = app;
const post = (path: string, token: string, body: Record<string, string | string[]>) => app.post(path, body, token);
const count = async () => Number((await app.admin.query(`select count(*) from case_conferences where organization_id = $1`, [app.cast.orgA])).rows[0].count);
const summarySealed = async () => (await app.admin.query(`select summary_sealed from conference_records where conference_id = $1`, [conferenceId])).rows[0].summary_sealed;
const setWindow = (from: string, to: string) => app.admin.query(`update case_conferences set starts_at = now() + $2::interval, ends_at = now() + $3::interval where id = $1`, [conferenceId, from, to]);

describe('the case conference pages', () => {
	it('refuse a bad form with a Japanese message and create nothing', async () => {
		const before = await count();
		const base = `/staff/orgs/${app.cast.orgA}/conferences?/create`;
		const empty = await post(base, app.cast.people.staff.token, { title: '', day: '2030-01-05', start: '10:00', end: '11:00' });
		expect(empty.status).toBe(400);
		expect(await empty.text()).toContain('会議の名前を120文字までで入れてください。');
		const backwards = await post(base, app.cast.people.staff.token, { title: '支援会議', day: '2030-01-05', start: '11:00', end: '10:00' });
		expect(backwards.status).toBe(400);
		expect(await backwards.text()).toContain('終わりは始まりより後の時刻にしてください。');
		const stranger = await post(base, app.cast.people.staff.token, { title: '支援会議', day: '2030-01-05', start: '10:00', end: '11:00', participant: `${app.cast.orgA}:${app.cast.people.staffB.userId}` });
		expect(stranger.status).toBe(400);
		expect(await stranger.text()).toContain('選んだ人が、その団体で会議に参加できる人ではありません。');
		expect(await count()).toBe(before);
	});

	it('let the organisation’s staff call a conference, name a participant of another organisation and write the summary', async () => {
		const list = await get(`/staff/orgs/${app.cast.orgA}/conferences`, app.cast.people.staff.token);
		expect(list.status).toBe(200);
		expect(await list.text()).toContain('新しいケース会議');
		const created = await post(`/staff/orgs/${app.cast.orgA}/conferences?/create`, app.cast.people.staff.token, { title: '春の支援会議', agenda: '登校の再開について', day: '2030-01-05', start: '10:00', end: '11:30', participant: `${app.cast.orgA}:${app.cast.people.counsellor.userId}` });
		expect(created.status).toBe(303);
		const location = created.headers.get('location') ?? '';
		expect(location).toMatch(new RegExp(`^/staff/orgs/${app.cast.orgA}/conferences/[0-9a-f-]{36}$`));
		conferenceId = location.split('/').pop()!;
		// Tokyo wall-clock time, stored as the instant.
		const row = (await app.admin.query(`select starts_at, ends_at from case_conferences where id = $1`, [conferenceId])).rows[0];
		expect(row.starts_at.toISOString()).toBe('2030-01-05T01:00:00.000Z');
		expect(row.ends_at.toISOString()).toBe('2030-01-05T02:30:00.000Z');
		const page = await (await get(location, app.cast.people.staff.token)).text();
		expect(page).toContain('1月5日(土) 10:00–11:30');
		expect(page).toContain('登校の再開について');
		// Organisation B's people, for the participants form.
		expect(await (await get(`${location}?org=${app.cast.orgB}`, app.cast.people.staff.token)).text()).toContain('staff-b');
		const named = await post(`${location}?/participants`, app.cast.people.staff.token, { participant: [`${app.cast.orgA}:${app.cast.people.staff.userId}`, `${app.cast.orgB}:${app.cast.people.staffB.userId}`] });
		expect(named.status).toBe(303);
		await setWindow('-1 hour', '1 hour');
		const written = await post(`${location}?/record`, app.cast.people.staff.token, { summary: SUMMARY, minutes: '' });
		expect(written.status).toBe(303);
		expect(await summarySealed()).toMatch(/^enc:v1:/);
	});

	it('show a notice only for the words a change puts in `?done=`, ignoring any other', async () => {
		const location = `/staff/orgs/${app.cast.orgA}/conferences/${conferenceId}`;
		expect(await (await get(`${location}?done=record`, app.cast.people.staff.token)).text()).toContain('概要と議事録を保存しました。');
		for (const done of ['bogus', 'constructor', '']) {
			const page = await get(`${location}?done=${done}&org=not-an-id`, app.cast.people.staff.token);
			expect(page.status).toBe(200);
			const html = await page.text();
			expect(html).not.toContain('conferences.done');
			expect(html).not.toContain('class="success"');
		}
	});

	it('show the summary to the participant from another organisation during the window, under their own organisation', async () => {
		const list = await (await get(`/staff/orgs/${app.cast.orgB}/conferences`, app.cast.people.staffB.token)).text();
		expect(list).toContain('春の支援会議');
		const response = await get(`/staff/orgs/${app.cast.orgB}/conferences/${conferenceId}`, app.cast.people.staffB.token);
		expect(response.status).toBe(200);
		const page = await response.text();
		expect(page).toContain(SUMMARY);
		expect(page).toContain('staff-b');
		expect(page).not.toContain(GONE);
	});

	it('are not there for a member of that organisation who is not named, nor under the owner’s path for the participant', async () => {
		const before = Number((await app.admin.query(`select count(*) from audit_events where entity_id = $1`, [conferenceId])).rows[0].count);
		const stranger = await get(`/staff/orgs/${app.cast.orgB}/conferences/${conferenceId}`, app.cast.people.adminB.token);
		expect(stranger.status).toBe(404);
		expect(await stranger.text()).not.toContain(SUMMARY);
		expect((await get(`/staff/orgs/${app.cast.orgA}/conferences/${conferenceId}`, app.cast.people.staffB.token)).status).toBe(403);
		expect(await (await get(`/staff/orgs/${app.cast.orgB}/conferences`, app.cast.people.adminB.token)).text()).not.toContain('春の支援会議');
		expect(Number((await app.admin.query(`select count(*) from audit_events where entity_id = $1`, [conferenceId])).rows[0].count)).toBe(before);
	});

	it('after the window tell the participant the summary is gone, refuse their writes, and still show it to the owner', async () => {
		await setWindow('-3 hours', '-1 hour');
		const page = await (await get(`/staff/orgs/${app.cast.orgB}/conferences/${conferenceId}`, app.cast.people.staffB.token)).text();
		expect(page).toContain(GONE);
		expect(page).not.toContain(SUMMARY);
		const sealed = await summarySealed();
		const late = await post(`/staff/orgs/${app.cast.orgB}/conferences/${conferenceId}?/record`, app.cast.people.staffB.token, { summary: '遅れて書く', minutes: '' });
		expect(late.status).toBe(409);
		expect(await late.text()).toContain('会議の時間ではないため、保存できませんでした。');
		expect(await summarySealed()).toBe(sealed);
		const owner = await (await get(`/staff/orgs/${app.cast.orgA}/conferences/${conferenceId}`, app.cast.people.staff.token)).text();
		expect(owner).toContain(SUMMARY);
		expect(owner).not.toContain(GONE);
	});
});
