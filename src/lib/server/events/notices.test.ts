/**
 * Telling registrants on a real database: cancelling mails each e-mail registrant once (date,
 * title, reason), a cancel / restore / cancel cycle tells them each time and a repeat tells nobody
 * again; moving tells the new time; SMS (the recording fake) to mobile numbers when configured;
 * phone registrants no channel reaches are listed to call; a LINE link code works once and the
 * notice is pushed through LINE (a local fake of the Messaging API); confirmations, promotions and
 * reminders are recorded the same way; another organisation sees none of it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../tests/helpers/people';
import { makeOccurrence, makePlace, makeProgram, makeRegistration, residentOn } from '../../../../tests/helpers/factories';
import { organizationScopeOf } from '../../../../tests/helpers/scopes';
import { useDatabase, type Database } from '../db';
import { asSystem, withAccess } from '../db/tenant';
import { readOutbox } from '../mail';
import { systemScope } from '../scope';
import { lineCallbackSchema, lineChannel, linePushForNotices, receiveLineDelivery } from '../consultations';
import {
	cancelDate,
	datePage,
	moveDate,
	noticesOfRegistrations,
	retryFailedNotices,
	MAX_NOTICE_ATTEMPTS,
	noticesSettled,
	recordingSmsSender,
	restoreDate,
	useLineForNotices,
	useSmsSender,
	newRegistrationLineCode,
	sendDueReminders,
	registrationNotices,
	registrations,
	mobileNumberOf,
	type RecordingSms
} from './index';
import { cancelRegistration } from './registrations';
import { sendConfirmation, sendPromotion } from './registration-mail';
import { calendarEntry } from './calendar';
import { runIn } from '../scope';
import { todayInTokyo } from '../clock';

/** A Tokyo wall-clock time `days` after today in Tokyo. */
const tokyo = (days: number, time: string) => new Date(Date.parse(`${todayInTokyo()}T${time}:00+09:00`) + days * 86_400_000);

let database: Database;
let cast: Cast;
let outbox: string;
let programId: string;
let sms: RecordingSms;
const saved = { ...process.env };

/** The fake Messaging API: records every call. */
const requests: { path: string; body: { to?: string; replyToken?: string; messages: { text: string }[] } }[] = [];
const fake: Server = createServer((req, res) => {
	let raw = '';
	req.on('data', (c) => (raw += c));
	req.on('end', () => {
		requests.push({ path: req.url ?? '', body: JSON.parse(raw || '{}') });
		res.writeHead(200, { 'content-type': 'application/json', 'x-line-request-id': randomUUID() });
		res.end(JSON.stringify({ sentMessages: [] }));
	});
});

const staffA = () => organizationScopeOf(cast.people.staff.userId, cast.orgA, 'staff', 'events.manage');
const staffB = () => organizationScopeOf(cast.people.staffB.userId, cast.orgB, 'staff', 'registrations.view');
/**
 * Every registration made here (events' register, through the factory) is confirmed once by the
 * operation itself; the tests below are about what follows, so these leave the confirmation out.
 * `confirmationsTo` and the SMS test check the confirmation itself.
 */
const isConfirmation = (subject: string) => subject.startsWith('【つなぐ】申込を受け付けました') || subject.startsWith('【つなぐ】キャンセル待ちで受け付けました');
const mailTo = (email: string) => readOutbox(1000, outbox).filter((m) => m.to.includes(email) && !isConfirmation(m.subject));
const confirmationsTo = (email: string) => readOutbox(1000, outbox).filter((m) => m.to.includes(email) && isConfirmation(m.subject));
const noticeRows = async (registrationId: string) => (await asSystem(database.db, (tx) => tx.select().from(registrationNotices).where(eq(registrationNotices.registrationId, registrationId)))).filter((n) => n.kind !== 'confirmation');

function lineText(userId: string, text: string) {
	return lineCallbackSchema.parse({
		destination: 'U0',
		events: [{ type: 'message', mode: 'active', timestamp: Date.now(), webhookEventId: randomUUID(), source: { type: 'user', userId }, replyToken: randomUUID().replaceAll('-', ''), deliveryContext: { isRedelivery: false }, message: { type: 'text', id: '1', text } }]
	});
}

async function dateWith(title: string) {
	const o = await makeOccurrence(database.db, cast.orgA, programId, { title, inDays: 10 });
	return o.id;
}

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	cast = await seedCast(database, 'notices');
	programId = await makeProgram(database.db, cast.orgA, { schedule: null });
	outbox = mkdtempSync(path.join(tmpdir(), 'tsunagu-notices-'));
	await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
	const { port } = fake.address() as { port: number };
	Object.assign(process.env, { OUTBOX_DIR: outbox, ORIGIN: 'https://tsunagu.example', LINE_CHANNEL_SECRET: 'notices-secret', LINE_CHANNEL_ACCESS_TOKEN: 'notices-token', LINE_API_BASE: `http://127.0.0.1:${port}` });
}, 60_000);

afterAll(async () => {
	await noticesSettled();
	useLineForNotices(null);
	useSmsSender(undefined);
	process.env = saved;
	await database?.close();
	await new Promise((resolve) => fake.close(resolve));
	rmSync(outbox, { recursive: true, force: true });
});

beforeEach(() => {
	requests.length = 0;
	sms = recordingSmsSender();
	useSmsSender(null);
	useLineForNotices(null);
});

describe('cancelling and moving a date', () => {
	it('mails each e-mail registrant once with the date, title and reason; a repeat tells nobody again; restore and a second cancel tell them each time', async () => {
		const date = await dateWith('春のおはなし会');
		const aya = await makeRegistration(database.db, date, { name: 'あや', contact: 'aya-cancel@example.org', groupSize: 3 });
		const bun = await makeRegistration(database.db, date, { name: 'ぶん', contact: 'bun-cancel@example.org' });
		await noticesSettled();
		// Registering confirmed each of them once (register sends it once committed).
		expect(confirmationsTo('aya-cancel@example.org')).toHaveLength(1);
		const before = mailTo('aya-cancel@example.org').length;

		expect((await cancelDate(staffA(), { occurrenceId: date, note: '台風が近づいているため' })).ok).toBe(true);
		await noticesSettled();
		const ayaMails = mailTo('aya-cancel@example.org');
		expect(ayaMails).toHaveLength(before + 1);
		expect(ayaMails[0].subject).toContain('中止');
		expect(ayaMails[0].subject).toContain('春のおはなし会');
		expect(ayaMails[0].text).toContain('あや さん');
		expect(ayaMails[0].text).toContain('春のおはなし会');
		expect(ayaMails[0].text).toContain('台風が近づいているため');
		const entry = await runIn(systemScope(database.db, 'test'), (tx) => calendarEntry(tx, date));
		expect(ayaMails[0].text).toMatch(new RegExp(`${entry!.startsAt.getMonth() + 1}月`));
		expect(mailTo('bun-cancel@example.org')).toHaveLength(1);

		// Pressed again (the date is already cancelled): nobody is told twice.
		expect((await cancelDate(staffA(), { occurrenceId: date, note: '台風が近づいているため' })).ok).toBe(true);
		await noticesSettled();
		expect(mailTo('aya-cancel@example.org')).toHaveLength(before + 1);

		// Back on: told it takes place; cancelled again: told again, with the new reason.
		expect((await restoreDate(staffA(), { occurrenceId: date })).ok).toBe(true);
		await noticesSettled();
		const restored = mailTo('aya-cancel@example.org');
		expect(restored).toHaveLength(before + 2);
		expect(restored[0].subject).toContain('開催のお知らせ');
		expect(restored[0].text).toContain('予定どおり開催');
		expect((await cancelDate(staffA(), { occurrenceId: date, note: '会場の工事のため' })).ok).toBe(true);
		await noticesSettled();
		const again = mailTo('aya-cancel@example.org');
		expect(again).toHaveLength(before + 3);
		expect(again[0].text).toContain('会場の工事のため');
		expect(again[0].text).not.toContain('台風');

		const rows = await noticeRows(aya.registrationId);
		expect(rows.map((r) => [r.kind, r.channel, r.outcome, r.changeKey.split('@')[0]]).sort()).toEqual([
			['cancelled', 'email', 'sent', 'cancelled'],
			['cancelled', 'email', 'sent', 'cancelled'],
			['restored', 'email', 'sent', 'restored']
		]);
		// Staff see who was reached how.
		const seen = await noticesOfRegistrations(staffA(), { occurrenceId: date });
		// The staff's view lists every notice, the confirmation too.
		const changes = (id: string) => seen.get(id)?.filter((n) => n.kind !== 'confirmation');
		expect(seen.get(aya.registrationId)?.filter((n) => n.kind === 'confirmation')).toHaveLength(1);
		expect(changes(aya.registrationId)?.map((n) => `${n.kind}:${n.channel}:${n.outcome}`)).toEqual(['cancelled:email:sent', 'restored:email:sent', 'cancelled:email:sent']);
		expect(changes(bun.registrationId)).toHaveLength(3);
	});

	it('tells the new time when a date moves, once per move, and nothing for a move to the same time', async () => {
		const date = await dateWith('体操教室');
		await makeRegistration(database.db, date, { name: 'ちか', contact: 'chika-move@example.org' });
		const startsAt = new Date(Date.UTC(2030, 5, 12, 1, 0)); // 2030-06-12 10:00 in Tokyo
		expect((await moveDate(staffA(), { occurrenceId: date, to: { startsAt, endsAt: null, note: '会場が変わります' } })).ok).toBe(true);
		await noticesSettled();
		const mails = mailTo('chika-move@example.org');
		expect(mails).toHaveLength(1);
		expect(mails[0].subject).toContain('日時変更');
		expect(mails[0].text).toContain('6月12日');
		expect(mails[0].text).toContain('10:00');
		expect(mails[0].text).toContain('会場が変わります');
		expect((await moveDate(staffA(), { occurrenceId: date, to: { startsAt, endsAt: null, note: '会場が変わります' } })).ok).toBe(true);
		await noticesSettled();
		expect(mailTo('chika-move@example.org')).toHaveLength(1);
	});

	it('records a failed mail as failed without holding up the change', async () => {
		const date = await dateWith('失敗する回');
		const r = await makeRegistration(database.db, date, { name: 'でん', contact: 'den-fail@example.org' });
		process.env.SMTP_URL = 'smtp://127.0.0.1:9'; // nothing listens there
		try {
			expect((await cancelDate(staffA(), { occurrenceId: date, note: null })).ok).toBe(true);
			await noticesSettled();
		} finally {
			delete process.env.SMTP_URL;
		}
		expect((await noticeRows(r.registrationId)).map((n) => [n.channel, n.outcome])).toEqual([['email', 'failed']]);
		// Who no notice reached is listed to be called (no phone number: their e-mail failed).
		const page = await runIn(staffA(), (tx) => datePage(tx, staffA(), { occurrenceId: date }));
		expect(page!.toCall).toEqual([expect.objectContaining({ registrationId: r.registrationId, name: 'でん', phone: null, failed: true })]);
	});
});

describe('sending failed notices again (「もう一度送る」)', () => {
	const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
	const auditRows = () => asSystem(database.db, (tx) => tx.execute<{ entity_type: string; entity_id: string; changed_fields: string[] }>(sql`select entity_type, entity_id, changed_fields from audit_events where action = 'registration.notice_retry' order by id`)).then((r) => r.rows);

	it('retries a failed mail through the same sender, updating outcome, attempts and the last try; audited with counts only', async () => {
		const date = await dateWith('送り直す回');
		const r = await makeRegistration(database.db, date, { name: 'なな', contact: 'nana-retry@example.org' });
		process.env.SMTP_URL = 'smtp://127.0.0.1:9';
		try {
			expect((await cancelDate(staffA(), { occurrenceId: date, note: '雨のため' })).ok).toBe(true);
			await noticesSettled();
		} finally {
			delete process.env.SMTP_URL;
		}
		const [failed] = await noticeRows(r.registrationId);
		expect(failed).toMatchObject({ kind: 'cancelled', outcome: 'failed', attempts: 1 });
		let page = await runIn(staffA(), (tx) => datePage(tx, staffA(), { occurrenceId: date }));
		// Just failed: not again within the pause.
		expect(page!.failed).toEqual({ retryable: 0, capped: 0, waiting: 1 });
		expect(await retryFailedNotices(staffA(), { occurrenceId: date })).toEqual({ ok: false, reason: 'nothing_to_retry' });

		const at = later(2);
		const retried = await retryFailedNotices(staffA(), { occurrenceId: date, now: at });
		expect(retried).toEqual({ ok: true, value: { retried: 1, retryable: 0, capped: 0, waiting: 0 } });
		await noticesSettled();
		const mails = mailTo('nana-retry@example.org');
		expect(mails).toHaveLength(1);
		expect(mails[0].subject).toContain('中止');
		expect(mails[0].text).toContain('雨のため');
		expect(await noticeRows(r.registrationId)).toEqual([expect.objectContaining({ id: failed.id, outcome: 'sent', attempts: 2, lastTriedAt: at })]);
		page = await runIn(staffA(), (tx) => datePage(tx, staffA(), { occurrenceId: date }));
		expect(page!.toCall).toEqual([]);
		const [audit] = (await auditRows()).slice(-1);
		expect(audit).toEqual({ entity_type: 'occurrence_notices', entity_id: `${date} retried=1 capped=0`, changed_fields: ['outcome', 'attempts', 'last_tried_at'] });
		expect(JSON.stringify(audit)).not.toContain('nana');
		// Nothing failed any more: nothing to send.
		expect(await retryFailedNotices(staffA(), { occurrenceId: date, now: later(10) })).toEqual({ ok: false, reason: 'nothing_to_retry' });
	});

	it('stops after the third try, and the people are left to call', async () => {
		const date = await dateWith('届かない回');
		const r = await makeRegistration(database.db, date, { name: 'はち', contact: 'hachi-retry@example.org' });
		process.env.SMTP_URL = 'smtp://127.0.0.1:9';
		try {
			expect((await cancelDate(staffA(), { occurrenceId: date, note: null })).ok).toBe(true);
			await noticesSettled();
			for (let i = 1; i < MAX_NOTICE_ATTEMPTS; i++) {
				expect((await retryFailedNotices(staffA(), { occurrenceId: date, now: later(2 * i) })).ok).toBe(true);
				await noticesSettled();
			}
		} finally {
			delete process.env.SMTP_URL;
		}
		expect(await noticeRows(r.registrationId)).toEqual([expect.objectContaining({ outcome: 'failed', attempts: MAX_NOTICE_ATTEMPTS })]);
		expect(await retryFailedNotices(staffA(), { occurrenceId: date, now: later(60) })).toEqual({ ok: false, reason: 'nothing_to_retry' });
		const page = await runIn(staffA(), (tx) => datePage(tx, staffA(), { occurrenceId: date }));
		expect(page!.failed).toMatchObject({ retryable: 0, capped: 1 });
		expect(page!.toCall!.map((p) => p.name)).toEqual(['はち']);
	});

	it('never sends a cancellation again once the date is back on, and refuses another organisation', async () => {
		const date = await dateWith('戻した回');
		const r = await makeRegistration(database.db, date, { name: 'きゅう', contact: 'kyu-retry@example.org' });
		process.env.SMTP_URL = 'smtp://127.0.0.1:9';
		try {
			expect((await cancelDate(staffA(), { occurrenceId: date, note: null })).ok).toBe(true);
			await noticesSettled();
		} finally {
			delete process.env.SMTP_URL;
		}
		expect(await retryFailedNotices(organizationScopeOf(cast.people.staffB.userId, cast.orgB, 'staff', 'events.manage'), { occurrenceId: date, now: later(2) })).toEqual({ ok: false, reason: 'not_found' });
		expect((await noticeRows(r.registrationId))[0]).toMatchObject({ outcome: 'failed', attempts: 1 });
		expect((await restoreDate(staffA(), { occurrenceId: date })).ok).toBe(true);
		await noticesSettled();
		expect(await retryFailedNotices(staffA(), { occurrenceId: date, now: later(2) })).toEqual({ ok: false, reason: 'nothing_to_retry' });
		expect(mailTo('kyu-retry@example.org').map((m) => m.subject)).toEqual([expect.stringContaining('開催のお知らせ')]);
	});
});

describe('SMS and people to call', () => {
	it('texts mobile registrants when a provider is configured; landlines and, without SMS, everyone by phone are listed to call', async () => {
		const date = await dateWith('こども食堂');
		const mobile = await makeRegistration(database.db, date, { name: 'えり', contact: '090-1234-5678', groupSize: 2 });
		const landline = await makeRegistration(database.db, date, { name: 'ふみ', contact: '03-1234-5678' });
		await makeRegistration(database.db, date, { name: 'ごう', contact: 'go-sms@example.org' });

		// No provider: both phones are to be called, the e-mail registrant is not.
		let page = await runIn(staffA(), (tx) => datePage(tx, staffA(), { occurrenceId: date }));
		expect(page!.toCall!.map((p) => [p.name, p.phone, p.groupSize])).toEqual([
			['えり', '090-1234-5678', 2],
			['ふみ', '03-1234-5678', 1]
		]);

		useSmsSender(sms);
		page = await runIn(staffA(), (tx) => datePage(tx, staffA(), { occurrenceId: date }));
		expect(page!.toCall!.map((p) => p.name)).toEqual(['ふみ']);
		expect((await cancelDate(staffA(), { occurrenceId: date, note: '大雪のため' })).ok).toBe(true);
		await noticesSettled();
		expect(sms.sent).toHaveLength(1);
		expect(sms.sent[0].to).toBe('+819012345678');
		expect(sms.sent[0].text).toContain('こども食堂');
		expect(sms.sent[0].text).toContain('中止');
		expect(sms.sent[0].text).toContain('大雪のため');
		expect((await noticeRows(mobile.registrationId)).map((n) => [n.kind, n.channel, n.outcome])).toEqual([['cancelled', 'sms', 'sent']]);
		expect(await noticeRows(landline.registrationId)).toEqual([]);
		page = await runIn(staffA(), (tx) => datePage(tx, staffA(), { occurrenceId: date }));
		expect(page!.toCall!.map((p) => p.name)).toEqual(['ふみ']);
	});

	it('reads Japanese mobile numbers only', () => {
		expect(mobileNumberOf('０９０－１２３４－５６７８')).toBe('+819012345678');
		expect(mobileNumberOf('+81 80 1234 5678')).toBe('+818012345678');
		expect(mobileNumberOf('03-1234-5678')).toBeNull();
		expect(mobileNumberOf('0120-123-456')).toBeNull();
	});

	it('sends confirmations and promotions by SMS and records them once', async () => {
		useSmsSender(sms);
		const o = await makeOccurrence(database.db, cast.orgA, programId, { title: '定員1の回', capacity: 1, inDays: 12 });
		// register confirms each new registration itself, once committed: the first as registered, the second as waiting.
		const first = await makeRegistration(database.db, o.id, { name: 'はな', contact: '080-1111-2222' });
		const second = await makeRegistration(database.db, o.id, { name: 'いち', contact: '070-3333-4444' });
		expect(second.status).toBe('waitlisted');
		await noticesSettled();
		const toFirst = () => sms.sent.filter((m) => m.to === '+818011112222');
		expect(toFirst()).toHaveLength(1);
		expect(toFirst()[0].text).toContain(`${first.reference.slice(0, 3)}-${first.reference.slice(3)}`);
		expect(toFirst()[0].text).toContain('https://tsunagu.example/registrations/');
		// Confirming again (a retried request) tells nobody twice: the notice is claimed once.
		const entry = (await runIn(systemScope(database.db, 'test'), (tx) => calendarEntry(tx, o.id)))!;
		await sendConfirmation(residentOn(database.db), first.registrationId, entry, { name: 'はな', status: 'registered', reference: first.reference, link: 'https://tsunagu.example/registrations/x' });
		await noticesSettled();
		expect(toFirst()).toHaveLength(1);
		// Cancelling moves the second up, and cancelRegistration tells them; telling again changes nothing.
		const cancelled = await cancelRegistration(organizationScopeOf(cast.people.staff.userId, cast.orgA, 'staff', 'registrations.view'), { occurrenceId: o.id, registrationId: first.registrationId });
		if (!cancelled.ok) throw new Error(cancelled.reason);
		await sendPromotion(
			staffA(),
			cancelled.value.promoted.map((p) => p.registrationId),
			entry
		);
		await noticesSettled();
		expect(sms.sent.filter((m) => m.to === '+817033334444').map((m) => m.text)).toEqual([expect.stringContaining('キャンセル待ち'), expect.stringContaining('参加できるようになりました')]);
		expect((await noticeRows(second.registrationId)).map((n) => [n.kind, n.channel])).toEqual([['promoted', 'sms']]);
	});
});

describe('LINE', () => {
	it('links a registration by a one-time code sent to the official account, pushes the cancellation there, and refuses the code a second time', async () => {
		useLineForNotices(linePushForNotices);
		const date = await dateWith('LINEの回');
		const r = await makeRegistration(database.db, date, { name: 'みく', contact: '03-9999-0000' });
		const resident = residentOn(database.db);
		const code = await newRegistrationLineCode(resident, { token: r.token! });
		if (!code.ok) throw new Error(code.reason);
		// Only the registrant's own link makes a code.
		expect(await newRegistrationLineCode(resident, { token: 'not-the-link-aaaaaaaaaaaaaaaaaaaaaaaaa' })).toEqual({ ok: false, reason: 'not_found' });
		expect(code.value.code).toMatch(/^YOYAKU-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$/);
		const stored = (await asSystem(database.db, (tx) => tx.select().from(registrations).where(eq(registrations.id, r.registrationId))))[0];
		expect(stored.lineLinkDigest).not.toContain(code.value.code.replaceAll('-', '').slice(6));

		const userId = `U${randomUUID().replaceAll('-', '')}`;
		const delivered = await receiveLineDelivery(resident, lineChannel()!, lineText(userId, code.value.code.toLowerCase()));
		if (!delivered.ok) throw new Error(delivered.reason);
		await delivered.value.sent;
		expect(requests.at(-1)!.body.messages[0].text).toContain('LINEの回');
		const linked = (await asSystem(database.db, (tx) => tx.select().from(registrations).where(eq(registrations.id, r.registrationId))))[0];
		expect(linked.lineLinkDigest).toBeNull();
		expect(linked.lineRecipientSealed).not.toBeNull();
		expect(linked.lineRecipientSealed).not.toContain(userId);

		// Used once: the same code again links nothing and says so (and becomes no consultation).
		const other = `U${randomUUID().replaceAll('-', '')}`;
		const again = await receiveLineDelivery(resident, lineChannel()!, lineText(other, code.value.code));
		if (!again.ok) throw new Error(again.reason);
		await again.value.sent;
		expect(requests.at(-1)!.body.messages[0].text).toContain('使えません');

		// A linked phone registrant is reached by LINE: not on the list to call.
		const before = await runIn(staffA(), (tx) => datePage(tx, staffA(), { occurrenceId: date }));
		expect(before!.toCall).toEqual([]);
		requests.length = 0;
		expect((await cancelDate(staffA(), { occurrenceId: date, note: '講師の急病のため' })).ok).toBe(true);
		await noticesSettled();
		const pushes = requests.filter((q) => q.path.includes('/push'));
		expect(pushes).toHaveLength(1);
		expect(pushes[0].body.to).toBe(userId);
		expect(pushes[0].body.messages[0].text).toContain('講師の急病のため');
		expect((await noticeRows(r.registrationId)).map((n) => [n.kind, n.channel, n.outcome])).toEqual([['cancelled', 'line', 'sent']]);
	});

	it('makes a code that works for 7 days or until the date ends, whichever comes first, and refuses it once expired', async () => {
		useLineForNotices(linePushForNotices);
		const resident = residentOn(database.db);
		const now = new Date();
		// A date 10 days away: the code works 7 days.
		const far = await makeRegistration(database.db, await dateWith('LINE期限の回'), { name: 'りん', contact: '03-9999-0001' });
		const farCode = await newRegistrationLineCode(resident, { token: far.token!, now });
		if (!farCode.ok) throw new Error(farCode.reason);
		expect(farCode.value.expiresAt.getTime()).toBe(now.getTime() + 7 * 86_400_000);
		// A date that ends in 3 hours: the code stops with it.
		const soonDate = await makeOccurrence(database.db, cast.orgA, programId, { title: 'まもなく終わる回', startsAt: new Date(now.getTime() + 3600_000), endsAt: new Date(now.getTime() + 3 * 3600_000) });
		const soon = await makeRegistration(database.db, soonDate.id, { name: 'れい', contact: '03-9999-0002' });
		const soonCode = await newRegistrationLineCode(resident, { token: soon.token!, now });
		if (!soonCode.ok) throw new Error(soonCode.reason);
		expect(soonCode.value.expiresAt.getTime()).toBe(now.getTime() + 3 * 3600_000);
		// After the date is over, no code is made.
		expect(await newRegistrationLineCode(resident, { token: soon.token!, now: new Date(now.getTime() + 4 * 3600_000) })).toEqual({ ok: false, reason: 'ended' });

		// Expired (a week passed): sending it links nothing, and the reply says it expired.
		await asSystem(database.db, (tx) =>
			tx
				.update(registrations)
				.set({ lineLinkExpiresAt: new Date(Date.now() - 1000) })
				.where(eq(registrations.id, far.registrationId))
		);
		const userId = `U${randomUUID().replaceAll('-', '')}`;
		const delivered = await receiveLineDelivery(resident, lineChannel()!, lineText(userId, farCode.value.code));
		if (!delivered.ok) throw new Error(delivered.reason);
		await delivered.value.sent;
		expect(requests.at(-1)!.body.messages[0].text).toContain('期限が切れています');
		const stored = (await asSystem(database.db, (tx) => tx.select().from(registrations).where(eq(registrations.id, far.registrationId))))[0];
		expect(stored.lineRecipientSealed).toBeNull();
	});

	it('sends the day-before reminder by mail and LINE, recorded once', async () => {
		useLineForNotices(linePushForNotices);
		// Tomorrow evening, reminded at noon today (in Tokyo): the run's time is given, not the test's clock.
		const o = await makeOccurrence(database.db, cast.orgA, programId, { title: '明日の回', startsAt: tokyo(1, '18:00') });
		const r = await makeRegistration(database.db, o.id, { name: 'よし', contact: 'yoshi-remind@example.org' });
		const userId = `U${randomUUID().replaceAll('-', '')}`;
		const code = await newRegistrationLineCode(residentOn(database.db), { token: r.token! });
		if (!code.ok) throw new Error(code.reason);
		const delivered = await receiveLineDelivery(residentOn(database.db), lineChannel()!, lineText(userId, code.value.code));
		if (!delivered.ok) throw new Error(delivered.reason);
		await delivered.value.sent;
		requests.length = 0;
		expect(await sendDueReminders(systemScope(database.db, 'reminders'), tokyo(0, '12:00'))).toBeGreaterThanOrEqual(1);
		expect(await sendDueReminders(systemScope(database.db, 'reminders'), tokyo(0, '12:00'))).toBe(0);
		expect(mailTo('yoshi-remind@example.org').filter((m) => m.subject.includes('明日の予定'))).toHaveLength(1);
		expect(requests.filter((q) => q.body.to === userId)).toHaveLength(1);
		// The same words go by LINE (and SMS): they must not send the person to 「メールにあるリンク」.
		expect(requests.find((q) => q.body.to === userId)!.body.messages[0].text).not.toContain('メール');
		expect((await noticeRows(r.registrationId)).map((n) => `${n.kind}:${n.channel}:${n.outcome}`).sort()).toEqual(['reminder:email:sent', 'reminder:line:sent']);
	});
});

describe('the reminder’s day', () => {
	it('goes the day before, not at night two days before a morning date, and names the place and the organiser', async () => {
		const place = await makePlace(database.db, cast.orgA, { name: 'ひだまり集会所(架空)' });
		const o = await makeOccurrence(database.db, cast.orgA, programId, { title: '朝の回', startsAt: tokyo(2, '10:00'), locationId: place });
		const r = await makeRegistration(database.db, o.id, { name: 'あさ', contact: 'asa-remind@example.org' });
		const reminded = async () => (await noticeRows(r.registrationId)).filter((n) => n.kind === 'reminder').length;
		// 22:30 the night two days before: 35.5 hours ahead, but not 「明日」.
		await sendDueReminders(systemScope(database.db, 'reminders'), tokyo(0, '22:30'));
		expect(await reminded()).toBe(0);
		// Early on the day before: not yet (nobody is woken by an SMS at 3 a.m.).
		await sendDueReminders(systemScope(database.db, 'reminders'), tokyo(1, '03:00'));
		expect(await reminded()).toBe(0);
		await sendDueReminders(systemScope(database.db, 'reminders'), tokyo(1, '08:15'));
		expect(await reminded()).toBe(1);
		const mail = mailTo('asa-remind@example.org').find((m) => m.subject.includes('明日の予定'));
		expect(mail?.text).toContain('朝の回');
		expect(mail?.text).toContain('主催:');
		expect(mail?.text).toContain('会場: ひだまり集会所(架空)');
	});

	it('says 本日 for a date later the same day (registered that morning)', async () => {
		const o = await makeOccurrence(database.db, cast.orgA, programId, { title: '夜の回', startsAt: tokyo(3, '19:00') });
		await makeRegistration(database.db, o.id, { name: 'よる', contact: 'yoru-remind@example.org' });
		expect(await sendDueReminders(systemScope(database.db, 'reminders'), tokyo(3, '09:00'))).toBeGreaterThanOrEqual(1);
		expect(
			mailTo('yoru-remind@example.org')
				.map((m) => m.subject)
				.filter((s) => s.includes('予定'))
		).toEqual([expect.stringContaining('本日の予定')]);
	});
});

describe('what a change says', () => {
	it('names the organiser and, for a move, the time it was', async () => {
		const date = await dateWith('時間が変わる回');
		await makeRegistration(database.db, date, { name: 'いどう', contact: 'idou@example.org' });
		const before = await runIn(staffA(), (tx) => calendarEntry(tx, date));
		const moved = await moveDate(staffA(), { occurrenceId: date, to: { startsAt: new Date(before!.startsAt.getTime() + 3600_000), endsAt: null, note: null } });
		expect(moved.ok).toBe(true);
		await noticesSettled();
		const mail = mailTo('idou@example.org').find((m) => m.subject.includes('日時変更'));
		expect(mail?.text).toMatch(/もとの日時: .+/);
		expect(mail?.text).toContain(`主催: ${before!.organizationName}`);
	});
});

describe('isolation', () => {
	it('shows one organisation none of another organisation’s notices', async () => {
		const date = await dateWith('ほかの団体に見えない回');
		await makeRegistration(database.db, date, { name: 'ろく', contact: 'roku-iso@example.org' });
		expect((await cancelDate(staffA(), { occurrenceId: date, note: null })).ok).toBe(true);
		await noticesSettled();
		expect((await noticesOfRegistrations(staffA(), { occurrenceId: date })).size).toBe(1);
		expect((await noticesOfRegistrations(staffB(), { occurrenceId: date })).size).toBe(0);
		const visible = await withAccess(database.db, { organizationIds: [cast.orgB] }, (tx) => tx.select().from(registrationNotices));
		expect(visible.filter((n) => n.organizationId === cast.orgA)).toEqual([]);
		// Another organisation's staff cannot cancel (and so announce) this date.
		expect(await cancelDate(organizationScopeOf(cast.people.staffB.userId, cast.orgB, 'staff', 'events.manage'), { occurrenceId: date, note: null })).toEqual({ ok: false, reason: 'not_found' });
	});
});
