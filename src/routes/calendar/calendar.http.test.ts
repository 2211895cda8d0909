/**
 * The shared calendar and the staff's dates over HTTP, against the built app, as a browser
 * without JavaScript uses them: a staff member cancels one date, moves another and adds a one-off
 * event; residents see each of these on the calendar; bad input changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../tests/helpers/app';
import { makeProgram, uniqueTag } from '../../../tests/helpers/factories';
import { japaneseIn, textOutsideLang } from '../../../tests/helpers/html';
import { addDays, localDay } from '$lib/server/directory';

let programId: string;
let programTitle: string;
let foreignProgram: string;
let draftProgram: string;
const today = localDay(new Date());

const app = useApp({
	seed: 'cal',
	before: async () => {
		// A published program of A with a weekly schedule, so that it has dates in the coming weeks.
		programTitle = `カレンダー試験の会${uniqueTag()}`;
		programId = await makeProgram(app.database.db, app.cast.orgA, { edit: { title: programTitle }, schedule: null });
		foreignProgram = await makeProgram(app.database.db, app.cast.orgB);
		draftProgram = await makeProgram(app.database.db, app.cast.orgA, { published: false });
		await app.admin.query(`delete from occurrences where program_id = $1`, [programId]);
		await app.admin.query(
			`insert into occurrences (organization_id, program_id, day, starts_at, ends_at)
		select $1, $2, d::date, (d::date + time '10:00') at time zone 'Asia/Tokyo', (d::date + time '12:00') at time zone 'Asia/Tokyo'
		from generate_series($3::date + 1, $3::date + 28, interval '7 days') d`,
			[app.cast.orgA, programId, today]
		);
	}
});

const post = (path: string, body: Record<string, string>) => app.post(path, body, app.cast.people.staff.token);
const textOf = async (response: Response) => (await response.text()).replace(/<!--.*?-->/g, '');
const occurrencesOf = async () => (await app.admin.query(`select id, day::text, status, moved, note, starts_at from occurrences where program_id = $1 order by starts_at`, [programId])).rows;
const listOfA = () => fetch(`${app.baseUrl}/calendar?view=list&organization=${app.cast.orgA}&date=${today}`).then(textOf);

describe('the public calendar', () => {
	it('lists the dates of published programs, with links to each date', async () => {
		const html = await listOfA();
		const rows = await occurrencesOf();
		expect(html).toContain(programTitle);
		for (const row of rows) expect(html).toContain(`href="/events/${row.id}"`);
		const month = await fetch(`${app.baseUrl}/calendar`);
		expect(month.status).toBe(200);
		expect(await textOf(month)).toContain('<table class="month-grid"');
	});

	it('answers 400 with a Japanese message for conditions it cannot read', async () => {
		const response = await fetch(`${app.baseUrl}/calendar?view=year&date=2027-02-30`, { headers: { accept: 'text/html' } });
		expect(response.status).toBe(400);
		const html = await textOf(response);
		expect(html).toContain('カレンダーの条件に読めないものがありました');
		expect(html).not.toMatch(/at .*\.js:\d+/);
	});
});

describe('in English, the directory\'s Japanese data is marked lang="ja"', () => {
	const english = (path: string) => fetch(`${app.baseUrl}${path}`, { headers: { 'accept-language': 'en' } }).then(textOf);
	it.each([
		['the home page', () => '/'],
		['the calendar month', () => `/calendar?organization=${app.cast.orgA}&date=${today}`],
		['the calendar list', () => `/calendar?view=list&organization=${app.cast.orgA}&date=${today}`]
	])('on %s', async (_, path) => {
		const html = await english(path());
		expect(html).toMatch(/<html[^>]* lang="en"/);
		expect(japaneseIn(textOutsideLang(html, 'ja'))).toEqual([]);
	});
	it('names the month (it read 「12/2026」), as the program pages date in English (“Dec 2026”)', async () => {
		const [year, month] = today.split('-').map(Number);
		const monthName = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1];
		expect(await english(`/calendar?date=${today}`)).toContain(`<h2 id="period">${monthName} ${year}</h2>`);
		const ja = await fetch(`${app.baseUrl}/calendar?date=${today}`, { headers: { 'accept-language': 'ja' } }).then(textOf);
		expect(ja).toContain(`<h2 id="period">${year}年${month}月</h2>`);
	});
	it('on an event page', async () => {
		const [first] = await occurrencesOf();
		const html = await english(`/events/${first.id}`);
		expect(html).toContain(programTitle);
		expect(japaneseIn(textOutsideLang(html, 'ja'))).toEqual([]);
	});
});

describe('staff change one date; residents see it', () => {
	it('cancels a date with a notice, shown as 中止 on the calendar, and audited', async () => {
		const [first] = await occurrencesOf();
		const response = await post(`/staff/orgs/${app.cast.orgA}/events/${first.id}?/cancel`, { note: '会場の点検のため' });
		expect(response.status).toBe(303);
		const [after] = await occurrencesOf();
		expect(after).toMatchObject({ id: first.id, status: 'cancelled', note: '会場の点検のため' });
		const html = await listOfA();
		const item = html.slice(html.indexOf(`href="/events/${first.id}"`), html.indexOf('</a>', html.indexOf(`href="/events/${first.id}"`)));
		expect(item).toContain('中止');
		expect(item).toContain('会場の点検のため');
		const audit = await app.admin.query(`select action, changed_fields from audit_events where entity_id = $1`, [first.id]);
		expect(audit.rows).toEqual([{ action: 'occurrence.cancel', changed_fields: ['status', 'note'] }]);
	});

	it('refuses a move with a bad time, beside the field, and changes nothing', async () => {
		const [, second] = await occurrencesOf();
		const response = await post(`/staff/orgs/${app.cast.orgA}/events/${second.id}?/move`, { day: addDays(today, 3), start: '25:00', end: '' });
		expect(response.status).toBe(400);
		const html = await textOf(response);
		expect(html).toContain('時刻を「13:30」の形で入れてください。');
		expect(html).toMatch(/id="move-start"[^>]*aria-invalid="true"/);
		const [, unchanged] = await occurrencesOf();
		expect(unchanged.starts_at.getTime()).toBe(second.starts_at.getTime());
		expect(unchanged.moved).toBe(false);
	});

	it('moves a date; the calendar shows it on the new day, marked as changed', async () => {
		const [, second] = await occurrencesOf();
		const newDay = addDays(second.day, 1);
		const response = await post(`/staff/orgs/${app.cast.orgA}/events/${second.id}?/move`, { day: newDay, start: '14:00', end: '16:00', note: '日曜日に変更' });
		expect(response.status).toBe(303);
		const moved = (await occurrencesOf()).find((o) => o.id === second.id)!;
		expect(moved).toMatchObject({ day: newDay, moved: true });
		expect(moved.starts_at.toISOString()).toBe(new Date(`${newDay}T14:00:00+09:00`).toISOString());
		const html = await listOfA();
		const at = html.indexOf(`href="/events/${second.id}"`);
		expect(html.slice(at, html.indexOf('</a>', at))).toContain('日時変更');
	});

	it('adds a one-off event with its own capacity in groups; a foreign program is refused', async () => {
		const day = addDays(today, 10);
		const foreign = foreignProgram;
		const refused = await post(`/staff/orgs/${app.cast.orgA}/events/new`, { programId: foreign, title: '乗っ取り会', day, start: '10:00', kind: 'session', capacityUnit: 'people' });
		expect(refused.status).toBe(400);
		expect(await textOf(refused)).toContain('取組を選んでください。');
		const bad = await post(`/staff/orgs/${app.cast.orgA}/events/new`, { programId, title: '', day, start: '10:00', kind: 'session', settingsFrom: 'own', capacity: '0', capacityUnit: 'groups' });
		expect(bad.status).toBe(400);
		expect(await textOf(bad)).toContain('定員は1〜10000の数字で入れるか、空欄にしてください。');
		expect((await app.admin.query(`select count(*)::int as n from occurrences where title = '乗っ取り会' or (program_id = $1 and day = $2)`, [programId, day])).rows[0].n).toBe(0);

		const created = await post(`/staff/orgs/${app.cast.orgA}/events/new`, { programId, title: '見学会', day, start: '10:00', end: '11:00', kind: 'visit', settingsFrom: 'own', registrationOpen: 'on', capacity: '5', capacityUnit: 'groups' });
		expect(created.status).toBe(303);
		const id = created.headers.get('location')!.match(/events\/([0-9a-f-]{36})/)![1];
		const row = (await app.admin.query(`select title, kind, capacity, capacity_unit, registration_open, series_day from occurrences where id = $1`, [id])).rows[0];
		expect(row).toEqual({ title: '見学会', kind: 'visit', capacity: 5, capacity_unit: 'groups', registration_open: true, series_day: null });
		const html = await listOfA();
		const at = html.indexOf(`href="/events/${id}"`);
		expect(at).toBeGreaterThan(0);
		expect(html.slice(at, html.indexOf('</a>', at))).toContain('見学会');
	});

	it("shows the program page's next dates from the same rows: cancelled marked, each linked", async () => {
		const html = await textOf(await fetch(`${app.baseUrl}/programs/${programId}`));
		const rows = (await occurrencesOf()).filter((o) => o.starts_at > new Date());
		const [first, second] = rows;
		expect(first.status).toBe('cancelled');
		const item = (id: string) => html.slice(html.indexOf(`href="/events/${id}"`), html.indexOf('</li>', html.indexOf(`href="/events/${id}"`)));
		expect(item(first.id)).toContain('中止');
		expect(item(first.id)).toContain('会場の点検のため');
		expect(item(second.id)).toContain('日時変更');
		// "次回" names the first date that still takes place.
		expect(html).toMatch(/<p class="next">[^<]*14:00/);
	});

	it('shows staff their dates with clash warnings, and volunteers none of it', async () => {
		const page = await app.get(`/staff/orgs/${app.cast.orgA}/events`, app.cast.people.staff.token);
		expect(page.status).toBe(200);
		const html = await textOf(page);
		expect(html).toContain(programTitle);
		expect(html).toContain('重なりの注意');
		const volunteer = await fetch(`${app.baseUrl}/staff/orgs/${app.cast.orgA}/events`, { headers: { accept: 'text/html', cookie: `tsunagu_session=${app.cast.people.volunteer.token}` }, redirect: 'manual' });
		expect(volunteer.status).toBe(403);
	});
});

describe('a cancellation undone', () => {
	// Found by a coordinator: after 「予定どおり開催に戻す」 the old reason stayed on the date's public
	// page and in 「日時を変える」, and a cancelled date with registration on was listed to staff as
	// 「中止 申込受付中 定員 10組」.
	it('lists a cancelled date without 申込受付中, and drops its reason from every page once restored', async () => {
		const third = (await occurrencesOf())[2];
		await app.admin.query(`update occurrences set registration_open = true, capacity = 10, capacity_unit = 'groups' where id = $1`, [third.id]);
		expect((await post(`/staff/orgs/${app.cast.orgA}/events/${third.id}?/cancel`, { note: '講師の都合のため' })).status).toBe(303);
		const itemOf = (html: string) => html.slice(html.indexOf(`/events/${third.id}"`), html.indexOf('</li>', html.indexOf(`/events/${third.id}"`)));
		const cancelled = itemOf(await textOf(await app.get(`/staff/orgs/${app.cast.orgA}/events`, app.cast.people.staff.token)));
		expect(cancelled).toContain('中止');
		expect(cancelled).not.toContain('申込受付中');

		expect((await post(`/staff/orgs/${app.cast.orgA}/events/${third.id}?/restore`, {})).status).toBe(303);
		const restored = itemOf(await textOf(await app.get(`/staff/orgs/${app.cast.orgA}/events`, app.cast.people.staff.token)));
		expect(restored).not.toContain('中止');
		expect(restored).toContain('申込受付中');
		expect(await textOf(await fetch(`${app.baseUrl}/events/${third.id}`))).not.toContain('講師の都合のため');
		expect(await textOf(await app.get(`/staff/orgs/${app.cast.orgA}/events/${third.id}`, app.cast.people.staff.token))).not.toContain('講師の都合のため');
	});
});

describe('a date under way', () => {
	// Found by a coordinator: a date running 18:00–23:30 said 「この回は終わりました。」 at 22:36.
	const dateAt = async (startHoursAgo: number, endHoursAgo: number | null) =>
		(
			await app.admin.query(
				`insert into occurrences (organization_id, program_id, day, starts_at, ends_at, registration_open)
				 select $1, $2, ((now() - make_interval(hours => $3)) at time zone 'Asia/Tokyo')::date, now() - make_interval(hours => $3), case when $4::int is null then null else now() - make_interval(hours => $4::int) end, true returning id`,
				[app.cast.orgA, programId, startHoursAgo, endHoursAgo]
			)
		).rows[0].id as string;
	const pageOf = async (id: string) => textOf(await fetch(`${app.baseUrl}/events/${id}`));

	it('says it is under way between its start and its end, takes no registration then, and is over after its end', async () => {
		const running = await pageOf(await dateAt(1, -3));
		expect(running).toContain('この回は開催中です。');
		expect(running).not.toContain('この回は終わりました。');
		expect(running).not.toContain('name="submissionKey"');
		expect(await pageOf(await dateAt(5, 1))).toContain('この回は終わりました。');
	});
});

describe('at the door', () => {
	it('shows a registration checked in as 来場済み on the staff list, not 参加予定', async () => {
		const [id] = (
			await app.admin.query(
				`insert into occurrences (organization_id, program_id, day, starts_at, ends_at, registration_open)
				 select $1, $2, ((now() + interval '2 hours') at time zone 'Asia/Tokyo')::date, now() + interval '2 hours', now() + interval '4 hours', true returning id`,
				[app.cast.orgA, programId]
			)
		).rows.map((r) => r.id as string);
		const registered = await fetch(`${app.baseUrl}/events/${id}`, {
			method: 'POST',
			redirect: 'manual',
			headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: app.baseUrl },
			body: new URLSearchParams({ name: 'とびら', contact: 'door-list@example.org', groupSize: '2', needs: '', card: '', consent: 'on', submissionKey: 'door-list-key-aaaaaaaa' }).toString()
		});
		expect(registered.status).toBe(303);
		const listed = async () => {
			const html = await textOf(await app.get(`/staff/orgs/${app.cast.orgA}/events/${id}/registrations`, app.cast.people.staff.token));
			return html.slice(html.indexOf('とびら'), html.indexOf('</tr>', html.indexOf('とびら')));
		};
		expect(await listed()).toContain('参加予定');
		const reference = (await app.admin.query(`select reference_code from registrations where occurrence_id = $1`, [id])).rows[0].reference_code as string;
		expect((await post(`/staff/orgs/${app.cast.orgA}/checkin?/checkin`, { occurrenceId: id, code: reference })).status).toBe(200);
		const row = await listed();
		expect(row).toContain('来場済み');
		expect(row).not.toContain('参加予定');
	});
});

describe('the iCalendar routes', () => {
	it('serve text/calendar for a program, an organisation, a filtered view and one date', async () => {
		const [first] = await occurrencesOf();
		for (const path of [`/programs/${programId}/calendar.ics`, `/organizations/${app.cast.orgA}/calendar.ics`, `/calendar.ics?organization=${app.cast.orgA}`, `/events/${first.id}/calendar.ics`]) {
			const response = await fetch(app.baseUrl + path);
			expect(response.status, path).toBe(200);
			expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
			const text = await response.text();
			expect(text.startsWith('BEGIN:VCALENDAR\r\n'), path).toBe(true);
			expect(text.replace(/\r\n /g, ''), path).toContain(`/events/${first.id}`);
		}
	});

	it('answer bad parameters with JSON 400 and unknown or unpublished programs with 404', async () => {
		const bad = await fetch(`${app.baseUrl}/calendar.ics?lifeStage=nope`);
		expect(bad.status).toBe(400);
		expect(await bad.json()).toMatchObject({ error: { code: 'invalid_parameters' } });
		expect((await fetch(`${app.baseUrl}/programs/not-a-uuid/calendar.ics`)).status).toBe(400);
		const draft = draftProgram;
		expect((await fetch(`${app.baseUrl}/programs/${draft}/calendar.ics`)).status).toBe(404);
	});
});

describe('paper', () => {
	it('prints a one-page A4 flyer and a one-page month with Noto Sans JP embedded', async () => {
		for (const [path, box] of [
			[`/programs/${programId}/flyer.pdf`, /\/MediaBox \[0 0 595\.28 841\.89\]/],
			[`/calendar/print.pdf?organization=${app.cast.orgA}`, /\/MediaBox \[0 0 841\.89 595\.28\]/]
		] as const) {
			const response = await fetch(app.baseUrl + path);
			expect(response.status, path).toBe(200);
			expect(response.headers.get('content-type')).toBe('application/pdf');
			const bytes = Buffer.from(await response.arrayBuffer());
			const text = bytes.toString('latin1');
			expect(text.startsWith('%PDF-')).toBe(true);
			expect(text.match(/\/Type \/Page\b/g)?.length, path).toBe(1);
			expect(text).toMatch(box);
			expect(text).toMatch(/\/FontName \/[A-Z]{6}\+NotoSansJP-(Regular|Bold)/);
			expect(bytes.length).toBeLessThan(1_000_000);
		}
	});

	it('answers an unknown program with 404 and bad calendar parameters with 400', async () => {
		expect((await fetch(`${app.baseUrl}/programs/00000000-0000-4000-8000-000000000000/flyer.pdf`)).status).toBe(404);
		// A draft's dates are read beside the program (in parallel) and dropped: still a 404.
		expect((await fetch(`${app.baseUrl}/programs/${draftProgram}/flyer.pdf`)).status).toBe(404);
		expect((await fetch(`${app.baseUrl}/calendar/print.pdf?date=2027-02-30`)).status).toBe(400);
	});

	it('titles the month in the reader\'s words: "Dec 2026" in English, not 12/2026', async () => {
		const titleOf = async (lang: string) => {
			const bytes = Buffer.from(await (await fetch(`${app.baseUrl}/calendar/print.pdf?date=2026-12-01`, { headers: { 'accept-language': lang } })).arrayBuffer());
			// pdfkit writes the document's Title as an object of its own holding a literal string, UTF-16BE
			// with a byte-order mark when not ASCII.
			const pdf = bytes.toString('latin1');
			const object = /\/Title (\d+) 0 R/.exec(pdf)?.[1];
			const literal = new RegExp(`\\n${object} 0 obj\\n\\(((?:\\\\[^]|[^\\\\)])*)\\)`).exec(pdf)?.[1] ?? '';
			const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
			const raw = Buffer.from(
				literal.replace(/\\([^])/g, (_, c: string) => escapes[c] ?? c),
				'latin1'
			);
			return raw[0] === 0xfe && raw[1] === 0xff ? Buffer.from(raw.subarray(2)).swap16().toString('utf16le') : raw.toString('latin1');
		};
		expect(await titleOf('en')).toBe('Events in Dec 2026');
		expect(await titleOf('ja')).toBe('2026年12月の予定');
	});
});

describe('the door over HTTP', () => {
	it('counts a batch of offline taps sent twice once, and answers bad input with JSON 400', async () => {
		const send = (body: unknown) => fetch(`${app.baseUrl}/api/v1/orgs/${app.cast.orgA}/taps`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `tsunagu_session=${app.cast.people.volunteer.token}` }, body: JSON.stringify(body) });
		const taps = [1, 2].map((i) => ({ clientKey: `http-tap-${i}-000000`, programId, countedAt: new Date().toISOString(), ageBand: '70s', gender: 'not_given', firstVisit: true }));
		const first = await send({ taps });
		expect(first.status).toBe(200);
		expect(await first.json()).toEqual({ accepted: taps.map((t) => t.clientKey), duplicates: [] });
		const replay = await send({ taps });
		expect(await replay.json()).toEqual({ accepted: [], duplicates: taps.map((t) => t.clientKey) });
		expect((await app.admin.query(`select count(*)::int as n from visits where client_key like 'http-tap-%'`)).rows[0].n).toBe(2);
		const bad = await send({ taps: [{ ...taps[0], clientKey: 'x', ageBand: 'teen' }] });
		expect(bad.status).toBe(400);
		expect(await bad.json()).toMatchObject({ error: { code: 'invalid_body' } });
		expect((await app.admin.query(`select count(*)::int as n from visits where client_key like 'http-tap-%'`)).rows[0].n).toBe(2);
	});
});
