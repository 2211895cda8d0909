/** The first reply's rules as pure functions: Tokyo wall-clock time, opening hours, holidays, and the settings' validation. */
import { describe, expect, it } from 'vitest';
import { autoReplyErrors, autoReplyFromForm, autoReplySchema, defaultAutoReply, firstReplyAt, tokyoWallClock, type AutoReply } from './auto-reply';
import { draftPrompt, llmEndpoint } from './drafts';

const WITHIN = '受け付けました。担当者が1営業日以内にお返事します。';
const OUTSIDE = '受付時間外です。次の受付日にお返事します。';
const setting = (over: Partial<AutoReply> = {}): AutoReply => ({ ...defaultAutoReply({ withinHours: WITHIN, outsideHours: OUTSIDE }), enabled: true, ...over });
/** An instant given as Tokyo wall-clock time (UTC+9, no daylight saving). */
const tokyo = (local: string) => new Date(`${local}+09:00`);

describe('tokyoWallClock', () => {
	it('reads the Tokyo day, weekday and time whatever the process time zone', () => {
		// 2026-03-01 23:30 UTC is Monday 2026-03-02 08:30 in Tokyo.
		expect(tokyoWallClock(new Date('2026-03-01T23:30:00Z'))).toEqual({ day: '2026-03-02', weekday: 'mon', time: '08:30' });
		expect(tokyoWallClock(tokyo('2026-03-08T00:00'))).toEqual({ day: '2026-03-08', weekday: 'sun', time: '00:00' });
	});
});

describe('firstReplyAt (月〜金 10:00–17:00, holidays closed)', () => {
	it('answers within hours on a weekday, from the start time up to just before the end time', () => {
		expect(firstReplyAt(setting(), tokyo('2026-03-04T10:00'))).toEqual({ within: true, holiday: null, text: WITHIN });
		expect(firstReplyAt(setting(), tokyo('2026-03-04T16:59'))?.within).toBe(true);
	});

	it('answers outside hours before opening, at closing time, at night and at the weekend', () => {
		for (const at of ['2026-03-04T09:59', '2026-03-04T17:00', '2026-03-04T23:30', '2026-03-07T12:00', '2026-03-08T12:00']) {
			expect(firstReplyAt(setting(), tokyo(at)), at).toEqual({ within: false, holiday: null, text: OUTSIDE });
		}
	});

	it('treats a national holiday (祝日) on a weekday as outside hours, unless the organisation opens on holidays', () => {
		// 2026-02-11 (Wednesday) is 建国記念の日; 2026-01-12 (Monday) is 成人の日.
		expect(firstReplyAt(setting(), tokyo('2026-02-11T12:00'))).toEqual({ within: false, holiday: '建国記念の日', text: OUTSIDE });
		expect(firstReplyAt(setting(), tokyo('2026-01-12T11:00'))?.within).toBe(false);
		expect(firstReplyAt(setting({ closedOnHolidays: false }), tokyo('2026-02-11T12:00'))).toEqual({ within: true, holiday: '建国記念の日', text: WITHIN });
		// The day after is an ordinary Thursday.
		expect(firstReplyAt(setting(), tokyo('2026-02-12T12:00'))?.within).toBe(true);
	});

	it('is the Tokyo day that counts: 01:00 UTC on a Tuesday is 10:00 within hours in Tokyo', () => {
		expect(firstReplyAt(setting(), new Date('2026-03-03T01:00:00Z'))?.within).toBe(true);
		// 15:30 UTC on a Friday is already Saturday 00:30 in Tokyo: closed.
		expect(firstReplyAt(setting(), new Date('2026-03-06T15:30:00Z'))?.within).toBe(false);
	});

	it('sends nothing when switched off or never set', () => {
		expect(firstReplyAt(setting({ enabled: false }), tokyo('2026-03-04T12:00'))).toBeNull();
		expect(firstReplyAt(null, tokyo('2026-03-04T12:00'))).toBeNull();
	});
});

describe('the settings form', () => {
	const form = (over: Record<string, string | null> = {}) => {
		const base: Record<string, string | null> = { enabled: 'on', open_mon: 'on', start_mon: '10:00', end_mon: '17:00', closedOnHolidays: 'on', withinHours: WITHIN, outsideHours: OUTSIDE, ...over };
		const data = new FormData();
		for (const [k, v] of Object.entries(base)) if (v !== null) data.set(k, v);
		return data;
	};
	const parse = (data: FormData) => autoReplySchema.safeParse(autoReplyFromForm(data).autoReply);

	it('reads checkboxes, times and texts; unticked days are closed', () => {
		const parsed = parse(form());
		expect(parsed.success).toBe(true);
		expect(parsed.data?.hours.mon).toEqual({ open: true, start: '10:00', end: '17:00' });
		expect(parsed.data?.hours.tue).toEqual({ open: false });
		expect(parsed.data?.closedOnHolidays).toBe(true);
		expect(autoReplyFromForm(form()).draftAssist).toBe(false);
		expect(autoReplyFromForm(form({ draftAssist: 'on' })).draftAssist).toBe(true);
	});

	it.each([
		[{ start_mon: '25:00' }, 'start_mon', 'consultReplies.error.time'],
		[{ end_mon: '9:00' }, 'end_mon', 'consultReplies.error.time'],
		[{ start_mon: '18:00' }, 'end_mon', 'consultReplies.error.order'],
		[{ end_mon: '10:00' }, 'end_mon', 'consultReplies.error.order'],
		[{ withinHours: 'あ'.repeat(501) }, 'withinHours', 'consultReplies.error.textLong'],
		[{ outsideHours: '   ' }, 'outsideHours', 'consultReplies.error.text']
	])('refuses %j with a message for %s', (over, field, message) => {
		const parsed = parse(form(over));
		expect(parsed.success).toBe(false);
		expect(autoReplyErrors(parsed.error!)[field]).toBe(message);
	});

	it('takes empty texts while switched off, and 500 characters exactly', () => {
		expect(parse(form({ enabled: null, withinHours: '', outsideHours: '' })).success).toBe(true);
		expect(parse(form({ withinHours: 'あ'.repeat(500) })).success).toBe(true);
	});
});

describe('drafts: configuration and prompt', () => {
	it('needs an http(s) base and a model; the key is optional', () => {
		expect(llmEndpoint({})).toBeNull();
		expect(llmEndpoint({ LLM_API_BASE: 'http://127.0.0.1:1/v1' })).toBeNull();
		expect(llmEndpoint({ LLM_API_BASE: 'file:///etc/passwd', LLM_MODEL: 'm' })).toBeNull();
		expect(llmEndpoint({ LLM_API_BASE: 'http://127.0.0.1:1/v1/', LLM_MODEL: 'm' })).toEqual({ base: 'http://127.0.0.1:1/v1', model: 'm', key: null, timeoutMs: 20_000 });
	});

	it('sends the person as user and counsellors as assistant, never the system’s messages', () => {
		const prompt = draftPrompt([
			{ author: 'person', body: 'はじめまして' },
			{ author: 'system', body: '受け付けました' },
			{ author: 'counsellor', body: 'お話しありがとうございます' },
			{ author: 'person', body: '眠れません' }
		]);
		expect(prompt[0].role).toBe('system');
		expect(prompt.slice(1)).toEqual([
			{ role: 'user', content: 'はじめまして' },
			{ role: 'assistant', content: 'お話しありがとうございます' },
			{ role: 'user', content: '眠れません' }
		]);
	});

	it('keeps the latest messages when the conversation is long', () => {
		const prompt = draftPrompt([...Array.from({ length: 10 }, (_, i) => ({ author: 'person', body: `${i}`.repeat(3000) }))]);
		expect(prompt.length).toBe(5);
		expect(prompt.at(-1)?.content.startsWith('9')).toBe(true);
	});
});
