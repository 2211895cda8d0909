/**
 * The public date page with a program's registration defaults and questions, over HTTP against the
 * built app, as a browser without JavaScript meets it (issue 16): the date takes registrations
 * (never 「この回は申込がいりません」), the questions are on the form with a row per child, bad
 * answers come back beside their fields with nothing written, and the window is said and enforced.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabase } from '../../../tests/helpers/db';
import { startApp, type RunningApp } from '../../../tests/helpers/app';
import { makeOccurrence, makeOrganizationWithProgram, makeRegistrationDefaults, makeScheduledDates, setDateSettings } from '../../../tests/helpers/factories';
import { registrationsOf } from '../../../tests/helpers/rows';
import type { Database } from '$lib/server/db';
import type { Question } from '$lib/server/events/questions';
import { todayInTokyo } from '$lib/server/clock';

let database: Database;
let app: RunningApp;
let dateId: string;

const QUESTIONS: Question[] = [
	{ id: 'qgrade01', kind: 'per_person', label: 'お子さんの学年', required: true, sensitive: false, fields: [{ id: 'fgrade01', kind: 'choice', label: '学年', required: true, options: ['未就学', '小1', '小2', '小3'] }] },
	{ id: 'qphoto01', kind: 'consent', label: '写真撮影に同意します', required: true, sensitive: false }
];

beforeAll(async () => {
	database = await testDatabase();
	const { organizationId, programId } = await makeOrganizationWithProgram(database.db);
	const [first] = await makeScheduledDates(database.db, programId, todayInTokyo());
	await makeRegistrationDefaults(database.db, organizationId, programId, { registrationOpen: true, capacity: 10, capacityUnit: 'groups', questions: QUESTIONS }, todayInTokyo());
	dateId = first.id;
	// SMS configured (the recording fake): the form tells a resident a mobile number is reached too.
	app = await startApp(database.adminUrl, { SMS_PROVIDER: 'fake' });
}, 180_000);
afterAll(async () => {
	await app?.stop();
	await database?.close();
});

const page = async () => (await fetch(`${app.baseUrl}/events/${dateId}`, { headers: { accept: 'text/html', 'accept-language': 'ja' } })).text();
const send = (entries: Array<[string, string]>) =>
	fetch(`${app.baseUrl}/events/${dateId}`, {
		method: 'POST',
		headers: { accept: 'text/html', 'accept-language': 'ja', 'content-type': 'application/x-www-form-urlencoded', origin: app.baseUrl },
		body: new URLSearchParams(entries).toString(),
		redirect: 'manual'
	});
const base: Array<[string, string]> = [
	['name', 'みどり'],
	['contact', 'midori@example.org'],
	['groupSize', '3'],
	['consent', 'on'],
	['submissionKey', 'http-test-aaaaaaaaaaaaaaaa']
];
const held = () => registrationsOf(database.db, dateId);

describe('a date following its program’s defaults', () => {
	it('says what a contact gets: a mobile number too, since SMS is configured', async () => {
		const html = await page();
		expect(html).toMatch(/id="contact-hint"[^>]*>メールアドレスか携帯電話の番号なら、申込の確認と前日のお知らせ、中止・変更のお知らせが届きます/);
	});

	it('takes registrations and shows the questions, a row per child', async () => {
		const html = await page();
		expect(html).not.toContain('この回は申込がいりません');
		expect(html).toContain('残り10組');
		expect(html).toContain('お子さんの学年');
		expect(html).toContain('写真撮影に同意します');
		expect(html).toMatch(/1人目[\s\S]*2人目[\s\S]*3人目[\s\S]*4人目/);
	});

	it('shows bad answers beside their fields in Japanese and writes nothing', async () => {
		const response = await send([...base, ['a.qgrade01.1.fgrade01', 'テレビ']]);
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(html).toMatch(/id="a-qgrade01-1-fgrade01-error"[^>]*>選択肢の中から選んでください。/);
		expect(html).toMatch(/id="a-qphoto01-error"[^>]*>チェックを入れてください。/);
		// What was typed is kept.
		expect(html).toContain('value="みどり"');
		expect(await held()).toEqual([]);
	});

	it('shows a row for everyone when asked, without registering', async () => {
		const response = await send([...base.filter(([k]) => k !== 'groupSize'), ['groupSize', '6'], ['intent', 'rows'], ['a.qgrade01.0.fgrade01', '小2']]);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('6人目');
		expect(html).not.toContain('7人目');
		expect(html).toMatch(/<option value="小2" selected/);
		expect(await held()).toEqual([]);
	});

	it('registers with good answers, sealed', async () => {
		const response = await send([...base, ['a.qgrade01.0.fgrade01', '小3'], ['a.qgrade01.2.fgrade01', '未就学'], ['a.qphoto01', 'on']]);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toMatch(/^\/registrations\//);
		const [row] = await held();
		expect(row.answersSealed).toMatch(/^enc:v1:/);
		expect(row.answersSealed).not.toContain('小3');
	});

	it('is kept as HTML by the public cache, yet gives every response a submission key of its own', async () => {
		const key = (html: string) => /name="submissionKey" value="([^"]*)"/.exec(html)?.[1] ?? '';
		const pages = [await page(), await page(), await page()];
		const keys = pages.map(key);
		for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9_-]{24}$/);
		expect(new Set(keys).size).toBe(3);
		// The key is the same in the form and in the hydration data, and nothing of the slot is left.
		for (const [i, html] of pages.entries()) {
			expect(html.split(keys[i]).length - 1).toBeGreaterThanOrEqual(2);
			expect(html).not.toContain('slot~');
		}
		// Served from the cache: apart from its key, each response is the first one byte for byte
		// (a fresh rendering has a CSP nonce of its own).
		const blank = (html: string, k: string) => html.replaceAll(k, '');
		expect(blank(pages[1], keys[1])).toBe(blank(pages[0], keys[0]));
		expect(blank(pages[2], keys[2])).toBe(blank(pages[0], keys[0]));
	});

	it('registers twice from two visitors of the same kept page, once from the same form sent twice', async () => {
		const key = (html: string) => /name="submissionKey" value="([^"]*)"/.exec(html)?.[1] ?? '';
		const [first, second] = [key(await page()), key(await page())];
		const form = (submissionKey: string, contact: string) =>
			[...base.filter(([k]) => k !== 'submissionKey' && k !== 'contact' && k !== 'groupSize'), ['groupSize', '1'], ['contact', contact], ['submissionKey', submissionKey], ['a.qgrade01.0.fgrade01', '小1'], ['a.qphoto01', 'on']] as Array<[string, string]>;
		const before = (await held()).length;
		expect((await send(form(first, 'visitor-one@example.org'))).status).toBe(303);
		expect((await send(form(first, 'visitor-one@example.org'))).status).toBe(200); // the same form again: registered once
		expect((await send(form(second, 'visitor-two@example.org'))).status).toBe(303);
		expect((await held()).length).toBe(before + 2);
		// The page after those registrations counts them (the cache was dropped by the writes).
		expect(await page()).toMatch(/残り[0-9]+組/);
		expect(await page()).not.toContain('残り10組');
	});

	it('says when registration opens and refuses before then', async () => {
		const opens = new Date(Date.now() + 2 * 86_400_000);
		await setDateSettings(database.db, dateId, { registrationOpensAt: opens });
		// The page is kept by the public cache, emptied when the change's notification reaches the
		// app — within moments, not before the write returns (it failed in CI when read at once).
		const html = await vi.waitFor(
			async () => {
				const shown = await page();
				expect(shown).toMatch(/申込は\d+月\d+日\([^)]+\) \d+:\d\dから受け付けます。/);
				return shown;
			},
			{ timeout: 5000, interval: 100 }
		);
		expect(html).not.toContain('name="submissionKey"');
		const response = await send([...base.filter(([k]) => k !== 'submissionKey' && k !== 'contact'), ['submissionKey', 'http-test-bbbbbbbbbbbbbbbb'], ['contact', 'other@example.org'], ['a.qgrade01.0.fgrade01', '小1'], ['a.qphoto01', 'on']]);
		expect(response.status).toBe(409);
		expect(await response.text()).toMatch(/申込は\d+月\d+日\([^)]+\) \d+:\d\dから受け付けます。/);
		expect(await held()).toHaveLength(3); // the three registered above, none more
	});
});

describe('a date that takes no registrations here', () => {
	// The walk of issue 15: よりみちごはん (参加のしかた 「お問い合わせください」) had 「この回は申込がいりません。そのままお越しください。」 on its dates.
	const dateOf = async (joinMethod: 'unknown' | 'reservation' | 'no_registration') => {
		const { organizationId, programId } = await makeOrganizationWithProgram(database.db, { edit: { joinMethod } });
		return (await makeOccurrence(database.db, organizationId, programId, { registrationOpen: false })).id;
	};
	const textOf = async (id: string, lang = 'ja') => (await (await fetch(`${app.baseUrl}/events/${id}`, { headers: { accept: 'text/html', 'accept-language': lang } })).text()).replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, '');

	it('says 「そのままお越しください」 only when the program says no registration is needed; otherwise how to join, as the program says', async () => {
		const unknown = await textOf(await dateOf('unknown'));
		expect(unknown).not.toContain('そのままお越しください');
		expect(unknown).toContain('この回の申込は、このサイトでは受け付けていません。参加のしかた: お問い合わせください');
		const booked = await dateOf('reservation');
		expect(await textOf(booked)).toContain('参加のしかた: 要予約');
		expect(await textOf(booked, 'en')).toContain('This date does not take registrations on this site. How to join: Booking required');
		expect(await textOf(await dateOf('no_registration'))).toContain('この回は申込がいりません。そのままお越しください。');
	});
});
