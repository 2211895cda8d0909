/**
 * A spreadsheet's 日時 cell — 「毎月第2火曜 10時〜12時」「第1・第3土曜日 10:00-13:00」, one schedule a
 * line — read into the directory's stored schedules, and the same schedules written back for the
 * export, so that export → import reads back exactly what is stored.
 *
 * Words are read by the directory's own reader (`readScheduleWords`: the whole text must be
 * understood, or it stays words). On top of it, an import reads what a sheet adds: several
 * schedules in one cell (lines, or parts joined by 、 that each say a whole rule), 隔週/隔月 when the
 * line names the date it starts from (without it the weeks are unknown: words, never a guessed
 * rule), 正午, the export's own `RRULE:` lines, and a note after ※ (「毎週水曜 14:00〜16:00 ※雨天中止」).
 * A line that says no exact rule is kept whole as the schedule's words, with a warning.
 */
import { parseRecurrence, readScheduleWords, type RecurrenceSummary } from '../directory';

/** One schedule as the import reads it; `dtstart` only when the words name it (隔週…から). */
export interface ImportedSchedule {
	rrule: string | null;
	dtstart: string | null;
	opensAt: string | null;
	closesAt: string | null;
	closedOnHolidays: boolean;
	note: string | null;
}

export type ScheduleWarning = { line: string; reason: 'words' | 'alternate_without_start' };
export type ScheduleProblem = { line: string; reason: 'note_too_long' | 'too_many' };

export interface ScheduleCell {
	schedules: ImportedSchedule[];
	/** Lines kept as words: shown in the preview, not errors. */
	warnings: ScheduleWarning[];
	problems: ScheduleProblem[];
}

export const MAX_SCHEDULES = 10;
const MAX_NOTE = 200;

const DASHES = /[〜~～–—―−‐-]/g;

function clean(text: string): string {
	return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** 2026-04-08, 2026/4/8, 2026年4月8日, with から/より/~ and brackets around them. */
const START = /[(]?\s*(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?\s*(?:から|より|~|〜)\s*[)]?/;

function dayOf(y: string, m: string, d: string): string | null {
	const day = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
	const date = new Date(`${day}T00:00:00Z`);
	return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day ? null : day;
}

/** Times and the holiday rule after an `RRULE:` line or alone: 「10:00〜12:00 (祝日は休み)」. */
function timesOnly(text: string): { opensAt: string | null; closesAt: string | null; closedOnHolidays: boolean } | null {
	const t = text.replace(DASHES, '~').replace(/\s+/g, '');
	const m = /^(?:(\d{2}:\d{2})~(\d{2}:\d{2})?)?(\(祝日は休み\))?$/.exec(t);
	if (!m) return null;
	return { opensAt: m[1] ?? null, closesAt: m[2] ?? null, closedOnHolidays: !!m[3] };
}

type LineRead = { ok: true; schedules: ImportedSchedule[] } | { ok: false; reason: ScheduleWarning['reason'] };

/** The rule part of one line (before ※), or why it stays words. */
function readRule(text: string): LineRead {
	const raw = /^RRULE:(\S+)\s*(.*)$/i.exec(text);
	if (raw) {
		const start = START.exec(raw[2]);
		const rest = timesOnly(start ? raw[2].replace(START, '') : raw[2]);
		const dtstart = start ? dayOf(start[1], start[2], start[3]) : null;
		if (!parseRecurrence(raw[1]).ok || !rest || (start && !dtstart)) return { ok: false, reason: 'words' };
		return { ok: true, schedules: [{ rrule: raw[1].toUpperCase(), dtstart, ...rest, note: null }] };
	}
	const alternate = /隔(週|月)/.exec(text);
	if (alternate) {
		const start = START.exec(text);
		const dtstart = start ? dayOf(start[1], start[2], start[3]) : null;
		if (!dtstart) return { ok: false, reason: start ? 'words' : 'alternate_without_start' };
		const read = readScheduleWords(text.replace(START, '').replace(/隔週/, '毎週').replace(/隔月/, '毎月'));
		if (!read.ok || !read.rule.rrule.startsWith(alternate[1] === '週' ? 'FREQ=WEEKLY' : 'FREQ=MONTHLY')) return { ok: false, reason: 'words' };
		const rrule = read.rule.rrule.replace(/^(FREQ=\w+)/, '$1;INTERVAL=2');
		return { ok: true, schedules: [{ ...read.rule, rrule, dtstart, note: null }] };
	}
	const read = readScheduleWords(text.replace(/正午/g, '12時'));
	if (read.ok) return { ok: true, schedules: [{ ...read.rule, dtstart: null, note: null }] };
	// 「毎週水曜 14時〜16時、第1土曜 10時〜12時」: two rules, each whole.
	const parts = text.split(/[、,]/).map((p) => p.trim());
	if (parts.length > 1) {
		const each = parts.map((p) => readScheduleWords(p.replace(/正午/g, '12時')));
		if (each.every((r) => r.ok)) return { ok: true, schedules: each.map((r) => ({ ...(r as { ok: true; rule: Omit<ImportedSchedule, 'dtstart' | 'note'> }).rule, dtstart: null, note: null })) };
	}
	return { ok: false, reason: 'words' };
}

/**
 * Read a 日時 cell: one schedule (or more) per line. An empty cell has none. Rules are read from
 * the folded text (widths, spaces); words kept as a note are kept as written.
 */
export function parseScheduleCell(text: string): ScheduleCell {
	const out: ScheduleCell = { schedules: [], warnings: [], problems: [] };
	const lines = text
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	for (const line of lines) {
		const mark = line.indexOf('※');
		const rulePart = clean(mark >= 0 ? line.slice(0, mark) : line);
		const note = mark >= 0 ? line.slice(mark + 1).trim() || null : null;
		if (!rulePart) {
			if (note) out.schedules.push({ rrule: null, dtstart: null, opensAt: null, closesAt: null, closedOnHolidays: false, note });
		} else {
			const times = note ? timesOnly(rulePart) : null;
			const read = times ? null : readRule(rulePart);
			if (times) out.schedules.push({ rrule: null, dtstart: null, ...times, note });
			else if (read?.ok) out.schedules.push(...read.schedules.map((s) => ({ ...s, note })));
			else {
				out.warnings.push({ line, reason: read && !read.ok ? read.reason : 'words' });
				out.schedules.push({ rrule: null, dtstart: null, opensAt: null, closesAt: null, closedOnHolidays: false, note: line });
			}
		}
	}
	for (const s of out.schedules) if (s.note && s.note.length > MAX_NOTE) out.problems.push({ line: s.note.slice(0, 40), reason: 'note_too_long' });
	if (out.schedules.length > MAX_SCHEDULES) out.problems.push({ line: '', reason: 'too_many' });
	return out;
}

// ── the same schedules as text, for the export ─────────────────────────────────────────────────

const KANJI: Record<string, string> = { MO: '月', TU: '火', WE: '水', TH: '木', FR: '金', SA: '土', SU: '日' };
const ORDER = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function daysWord(days: string[]): string {
	return [...new Set(days)]
		.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))
		.map((d) => KANJI[d])
		.join('・');
}

/** The rule in the words the reader reads back to the same rule, or null when words cannot say it. */
function ruleWords(r: RecurrenceSummary, dtstart: string): string | null {
	if (r.until || r.count) return null;
	if (r.freq === 'WEEKLY') {
		if (r.weekdays.some((w) => w.ordinal !== null) || !r.weekdays.length) return null;
		const days = `${daysWord(r.weekdays.map((w) => w.day))}曜`;
		if (r.interval === 1) return `毎週${days}`;
		return r.interval === 2 ? `隔週${days} (${dtstart}から)` : null;
	}
	if (r.interval !== 1) return null;
	if (r.monthDays.length) return r.weekdays.length || r.monthDays.some((d) => d < 1) ? null : `毎月${[...new Set(r.monthDays)].sort((a, b) => a - b).join('・')}日`;
	const ordinals = [...new Set(r.weekdays.map((w) => w.ordinal))];
	const days = [...new Set(r.weekdays.map((w) => w.day))];
	// Only a full grid (each week of each day) is said in words: 第1・第3土・日曜.
	if (ordinals.some((o) => o === null || (o < 1 && o !== -1)) || ordinals.length * days.length !== r.weekdays.length) return null;
	const sorted = (ordinals as number[]).sort((a, b) => (a === -1 ? 9 : a) - (b === -1 ? 9 : b));
	return `毎月${sorted.map((o) => (o === -1 ? '最終' : `第${o}`)).join('・')}${daysWord(days)}曜`;
}

/** One stored schedule as one line of the 日時 cell. */
export function scheduleText(s: { rrule: string | null; dtstart: string; opensAt: string | null; closesAt: string | null; closedOnHolidays: boolean; note: string | null }): string {
	const times = s.opensAt ? `${s.opensAt}〜${s.closesAt ?? ''}` : '';
	const holidays = s.closedOnHolidays ? '(祝日は休み)' : '';
	const note = s.note ? `※${s.note}` : '';
	if (!s.rrule) {
		if (times || holidays) return [times, holidays, note].filter(Boolean).join(' ');
		// A note the reader would take for a rule is marked as a note.
		const alone = parseScheduleCell(s.note ?? '');
		return alone.schedules.length === 1 && alone.schedules[0].rrule === null && alone.schedules[0].note === s.note && !s.note?.includes('※') ? (s.note ?? '') : note;
	}
	const parsed = parseRecurrence(s.rrule);
	const words = parsed.ok ? ruleWords(parsed.summary, s.dtstart) : null;
	const head = words ?? `RRULE:${s.rrule.replace(/^RRULE:/i, '')}${parsed.ok && parsed.summary.interval > 1 ? ` (${s.dtstart}から)` : ''}`;
	return [head, times, holidays, note].filter(Boolean).join(' ');
}

/** A cell's lines for a program's schedules. */
export function schedulesText(list: Parameters<typeof scheduleText>[0][]): string {
	return list.map(scheduleText).join('\n');
}

/**
 * What makes two schedules the same for an import: the rule (read, so `INTERVAL=1` and its absence
 * agree), hours, holidays and note; and the start day only where it decides the weeks (隔週).
 */
export function scheduleKey(s: { rrule: string | null; dtstart: string | null; opensAt: string | null; closesAt: string | null; closedOnHolidays: boolean; note: string | null }): string {
	const parsed = s.rrule ? parseRecurrence(s.rrule) : null;
	const rule = parsed?.ok ? { ...parsed.summary, weekdays: [...parsed.summary.weekdays].sort((a, b) => `${a.ordinal}${a.day}`.localeCompare(`${b.ordinal}${b.day}`)), monthDays: [...parsed.summary.monthDays].sort((a, b) => a - b) } : (s.rrule ?? null);
	const start = parsed?.ok && parsed.summary.interval > 1 ? s.dtstart : null;
	return JSON.stringify([rule, start, s.opensAt, s.closesAt, s.closedOnHolidays, s.note]);
}
