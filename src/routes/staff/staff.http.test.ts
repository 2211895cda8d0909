/**
 * The program editor over HTTP against the built app, as a browser without JavaScript uses it:
 * plain form posts render the preview (rule in words, next dates, a national holiday skipped by
 * name) and mistakes beside their fields with aria-invalid / aria-describedby, keeping what was
 * typed.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../tests/helpers/app';
import { makeProgram, uniqueTag } from '../../../tests/helpers/factories';
import { weekdayIndex } from '$lib/server/directory';

const app = useApp({ seed: 'sh' });
const post = (path: string, entries: Array<[string, string]>) => app.post(path, entries, app.cast.people.staff.token);

/** The page's HTML without Svelte's hydration markers. */
const textOf = async (response: Response) => (await response.text()).replace(/<!--.*?-->/g, '');

/** The next 元日 that is a Saturday (so the first Saturday of January), from next year on. */
function nextSaturdayNewYear(): number {
	let year = new Date().getFullYear() + 1;
	while (weekdayIndex(`${year}-01-01`) !== 5) year++;
	return year;
}

describe('the program editor without JavaScript', () => {
	it('renders the new-program form with labelled fields', async () => {
		const response = await app.get(`/staff/orgs/${app.cast.orgA}/programs/new`, app.cast.people.staff.token);
		expect(response.status).toBe(200);
		const html = await textOf(response);
		expect(html).toContain('<label for="f-title" class="required">取組の名前</label>');
		expect(html).toContain('name="schedules.0.kind"');
		expect(html).toContain('formaction="?/preview#schedules"');
		// A shorter form: the optional sections are there, closed, until they hold something.
		expect(html).toMatch(/<details class="form-more[^"]*">\s*<summary[^>]*>問い合わせ先\(任意\)<\/summary>/);
		expect(html).not.toMatch(/<details class="form-more[^"]*" open/);
	});

	it('copies one of the organisation’s programs into the new-program form, and nobody else’s', async () => {
		const program = async (organizationId: string, title: string) => ({ title, id: await makeProgram(app.database.db, organizationId, { edit: { title } }) });
		const own = await program(app.cast.orgA, 'あおぞら食堂');
		const other = await program(app.cast.orgB, `ひだまりサロン${uniqueTag()}`);
		const copied = await textOf(await app.get(`/staff/orgs/${app.cast.orgA}/programs/new?from=${own.id}`, app.cast.people.staff.token));
		expect(copied).toContain(`「${own.title}」の内容と日程をうつしました。`);
		expect(copied).toContain(`value="${own.title}(コピー)"`);
		const foreign = await app.get(`/staff/orgs/${app.cast.orgA}/programs/new?from=${other.id}`, app.cast.people.staff.token);
		expect(foreign.status).toBe(200);
		const blank = await textOf(foreign);
		expect(blank).not.toContain(other.title);
		expect(blank).not.toContain('うつしました');
		const malformed = await app.get(`/staff/orgs/${app.cast.orgA}/programs/new?from=%27%3Bdrop`, app.cast.people.staff.token);
		expect(malformed.status).toBe(200);
		// The program's page offers the copy.
		expect(await textOf(await app.get(`/staff/orgs/${app.cast.orgA}/programs/${own.id}`, app.cast.people.staff.token))).toContain(`href="/staff/orgs/${app.cast.orgA}/programs/new?from=${own.id}"`);
	});

	it('previews 第1・第3土曜日 with 元日 skipped, by a plain form post', async () => {
		const year = nextSaturdayNewYear();
		const response = await post(`/staff/orgs/${app.cast.orgA}/programs/new?/preview`, [
			['title', 'ほしぞら食堂'],
			['forms', 'kodomo_shokudo'],
			['languages', 'ja'],
			['costKind', 'free'],
			['joinMethod', 'no_registration'],
			['deliveryMode', 'in_person'],
			['status', 'active'],
			['scheduleCount', '1'],
			['schedules.0.kind', 'monthly_nth'],
			['schedules.0.ordinals', '1'],
			['schedules.0.ordinals', '3'],
			['schedules.0.weekdays', 'SA'],
			['schedules.0.interval', '1'],
			['schedules.0.opensAt', '11:00'],
			['schedules.0.closesAt', '14:00'],
			['schedules.0.dtstart', `${year - 1}-12-01`],
			['schedules.0.closedOnHolidays', 'on']
		]);
		expect(response.status).toBe(200);
		const html = await textOf(response);
		expect(html).toContain('毎月第1・第3土曜日 11:00–14:00(祝日は休み)');
		expect(html).toMatch(/<li class="skipped[^"]*">1月1日\(土\) 11:00–14:00 — 元日のため休み<\/li>/);
		expect(html).toContain('value="ほしぞら食堂"');
	});

	it('shows each mistake beside its field and keeps what was typed (400)', async () => {
		const response = await post(`/staff/orgs/${app.cast.orgA}/programs/new?/save`, [
			['title', ''],
			['summary', '月2回の食堂'],
			['languages', 'ja'],
			['costKind', 'free'],
			['joinMethod', 'no_registration'],
			['deliveryMode', 'in_person'],
			['status', 'active'],
			['contactEmail', 'hanako@'],
			['scheduleCount', '1'],
			['schedules.0.kind', 'weekly'],
			['schedules.0.interval', '1'],
			['schedules.0.opensAt', '14:00'],
			['schedules.0.closesAt', '13:00'],
			['schedules.0.dtstart', '2026-12-01']
		]);
		expect(response.status).toBe(400);
		const html = await textOf(response);
		expect(html).toContain('role="alert"');
		expect(html).toMatch(/<input id="f-title" name="title"[^>]*aria-invalid="true"[^>]*aria-describedby="f-title-hint f-title-error"/);
		expect(html).toContain('<p class="field-error" id="f-title-error">入力してください。</p>');
		expect(html).toContain('<p class="field-error" id="f-forms-error">取組のかたちを1つ以上選んでください。</p>');
		expect(html).toMatch(/id="f-contactEmail"[^>]*value="hanako@"|value="hanako@"[^>]*id="f-contactEmail"/);
		expect(html).toContain('曜日を選んでください。');
		expect(html).toContain('終了時刻は開始時刻より後にしてください。');
		expect(html).toContain('value="月2回の食堂"');
		// The closed section holding the wrong address opens by itself.
		expect(html).toMatch(/<details class="form-more[^"]*" open[^>]*>\s*<summary[^>]*>問い合わせ先\(任意\)<\/summary>/);
		expect(html).not.toMatch(/at .*\.js:\d+/); // never a stack trace
	});
});

describe('a place saved without a point', () => {
	it('is saved, and the places list says it will not be found by distance and how to fix it', async () => {
		const response = await post(`/staff/orgs/${app.cast.orgA}/locations/new?/save`, [
			['name', `地図にない集会所${uniqueTag()}`],
			['prefecture', '東京都'],
			['city', 'ほげほげ町']
		]);
		expect(response.status).toBe(303);
		const listed = response.headers.get('location')!;
		expect(listed).toBe(`/staff/orgs/${app.cast.orgA}/locations?done=unplaced`);
		const html = await textOf(await app.get(listed, app.cast.people.staff.token));
		expect(html).toMatch(/<p class="notice" role="status">保存しました。ただし、この場所は地図上の位置がわからないため、[^<]*市区町村名が正しいかを確かめるか、緯度・経度を入力してください。<\/p>/);
		expect(await textOf(await app.get(`/staff/orgs/${app.cast.orgA}/locations?done=saved`, app.cast.people.staff.token))).toContain('<p class="success" role="status">保存しました。</p>');
	});
});
