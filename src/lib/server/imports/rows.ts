/**
 * One sheet row, through the chosen mapping, into what it says about an organisation, a place and
 * a program — only the columns that are mapped and filled (an empty cell changes nothing) — with
 * each problem named by its column (errors skip the row, warnings do not).
 */
import { splitAddress } from '../directory';
import type { Field } from './columns';
import { parseScheduleCell, type ImportedSchedule } from './schedule-text';
import { readCost, readEmail, readForms, readJoinMethod, readLegalForm, readPhone, readPostalCode, readTarget, readUrl, type Read } from './values';
import type { ImportKind } from './schema';
import type { SheetRow } from './read-file';

export interface Issue {
	field: Field;
	/** An i18n key; `params` fill it (the column's title is added by the page). */
	key: string;
	params?: Record<string, string | number>;
}

export interface PlaceDraft {
	name: string;
	prefecture: string | null;
	city: string | null;
	line: string | null;
	postalCode?: string | null;
	accessibility?: string | null;
	transport?: string | null;
}

export interface ProfileDraft {
	nameKana?: string | null;
	legalForm?: string | null;
	representative?: string | null;
	prefecture?: string | null;
	city?: string | null;
	addressLine?: string | null;
	postalCode?: string | null;
	website?: string | null;
	message?: string | null;
	description?: string;
}

export interface ProgramDraft {
	title: string;
	summary?: string;
	description?: string;
	forms?: string[];
	targets?: string[];
	lifeStages?: string[];
	cost?: { kind: 'free' | 'pay_what_you_can' | 'fixed' | 'unknown'; amountYen: number | null; note: string | null };
	joinMethod?: 'no_registration' | 'reservation' | 'membership' | 'referral_only' | 'unknown';
	phone?: string | null;
	email?: string | null;
	url?: string | null;
	schedules?: ImportedSchedule[];
}

export interface RowDraft {
	line: number;
	organizationName: string | null;
	profile: ProfileDraft | null;
	place: PlaceDraft | null;
	program: ProgramDraft | null;
	errors: Issue[];
	warnings: Issue[];
}

const LIMITS: Partial<Record<Field, number>> = {
	organizationName: 120,
	nameKana: 200,
	representative: 120,
	title: 120,
	summary: 200,
	description: 3000,
	placeName: 120,
	address: 260,
	accessibility: 500,
	transport: 500,
	message: 400
};

/** Read one row of a sheet of `kind` with `mapping` (a field or '' per column). */
export function readRow(kind: ImportKind, mapping: readonly (Field | '')[], row: SheetRow): RowDraft {
	const cell = (field: Field): string | null => {
		const i = mapping.indexOf(field);
		return i < 0 ? null : (row.cells[i] ?? '').trim();
	};
	const draft: RowDraft = { line: row.line, organizationName: null, profile: null, place: null, program: null, errors: [], warnings: [] };
	const error = (field: Field, key: string, params?: Issue['params']) => draft.errors.push({ field, key, ...(params ? { params } : {}) });
	/** The cell's text when mapped and filled, checked for length; undefined otherwise. */
	const text = (field: Field): string | undefined => {
		const v = cell(field);
		if (!v) return undefined;
		const max = LIMITS[field];
		if (max && v.length > max) {
			error(field, 'imports.error.tooLong', { max });
			return undefined;
		}
		return v;
	};
	const value = <T>(field: Field, read: (t: string) => Read<T>): T | undefined => {
		const v = text(field);
		if (v === undefined) return undefined;
		const r = read(v);
		if (!r.ok) error(field, r.reason);
		return r.ok ? r.value : undefined;
	};

	draft.organizationName = text('organizationName') ?? null;
	const address = text('address');
	const split = address ? splitAddress(address) : null;

	if (kind === 'organizations') {
		if (!draft.organizationName) error('organizationName', 'imports.error.required');
		const profile: ProfileDraft = {};
		const set = <K extends keyof ProfileDraft>(k: K, v: ProfileDraft[K] | undefined) => {
			if (v !== undefined) profile[k] = v;
		};
		set('nameKana', text('nameKana'));
		set('legalForm', value('legalForm', readLegalForm));
		set('representative', text('representative'));
		if (split) Object.assign(profile, { prefecture: split.prefecture, city: split.city, addressLine: split.line });
		set('postalCode', value('postalCode', readPostalCode));
		set('website', value('url', readUrl));
		set('message', text('message'));
		const description = text('description');
		if (description !== undefined && description.length > 2000) error('description', 'imports.error.tooLong', { max: 2000 });
		else set('description', description);
		draft.profile = profile;
		return draft;
	}

	const placeName = text('placeName');
	if (kind === 'places' && !placeName) error('placeName', 'imports.error.required');
	if (kind === 'places' && !address) error('address', 'imports.error.required');
	if (placeName || address) {
		const place: PlaceDraft = { name: placeName ?? address!.slice(0, 120), prefecture: split?.prefecture ?? null, city: split?.city ?? null, line: split?.line ?? null };
		if (place.line && place.line.length > 200) error('address', 'imports.error.tooLong', { max: 200 });
		const postal = value('postalCode', readPostalCode);
		if (postal !== undefined) place.postalCode = postal;
		const accessibility = text('accessibility');
		if (accessibility !== undefined) place.accessibility = accessibility;
		const transport = text('transport');
		if (transport !== undefined) place.transport = transport;
		draft.place = place;
	}
	if (kind === 'places') return draft;

	const title = text('title');
	if (!title) {
		if (!draft.errors.some((e) => e.field === 'title')) error('title', 'imports.error.required');
		return draft;
	}
	const program: ProgramDraft = { title };
	const put = <K extends keyof ProgramDraft>(k: K, v: ProgramDraft[K] | undefined) => {
		if (v !== undefined) program[k] = v;
	};
	put('summary', text('summary'));
	put('description', text('description'));
	put('forms', value('forms', readForms));
	const target = text('target');
	if (target !== undefined) {
		const read = readTarget(target);
		program.targets = read.targets;
		program.lifeStages = read.lifeStages;
		if (read.unknown.length) draft.warnings.push({ field: 'target', key: 'imports.warning.target', params: { words: read.unknown.join('、') } });
	}
	put('cost', value('cost', readCost));
	put('joinMethod', value('joinMethod', readJoinMethod));
	put('phone', value('phone', readPhone));
	put('email', value('email', readEmail));
	put('url', value('url', readUrl));
	const schedule = withTimes(cell('schedule'), cell('time'));
	if (cell('time') && !cell('schedule')) draft.warnings.push({ field: 'time', key: 'imports.warning.timeWithoutDay', params: { text: cell('time')! } });
	if (schedule) {
		const read = parseScheduleCell(schedule);
		for (const p of read.problems) error('schedule', p.reason === 'too_many' ? 'imports.error.tooManySchedules' : 'imports.error.scheduleNote', { text: p.line });
		for (const w of read.warnings) draft.warnings.push({ field: 'schedule', key: w.reason === 'alternate_without_start' ? 'imports.warning.alternate' : 'imports.warning.schedule', params: { text: w.line } });
		program.schedules = read.schedules;
	}
	draft.program = program;
	return draft;
}

/** A time written in a line already (10時, 13:30, 正午). */
const HAS_TIME = /\d{1,2}\s*(?:時|:)|正午/;

/**
 * 開催日 and 時間 in two columns, as councils' sheets have them, read as one 日時: the time goes after
 * each line that has none (line by line when the time column has as many lines).
 */
export function withTimes(schedule: string | null, time: string | null): string | null {
	if (!schedule || !time) return schedule;
	const days = schedule.split(/\r?\n/);
	const times = time.split(/\r?\n/).map((t) => t.trim());
	return days.map((day, i) => (day.trim() && !HAS_TIME.test(day.normalize('NFKC')) ? `${day} ${times.length === days.length ? times[i] : time.replace(/\s+/g, ' ')}` : day)).join('\n');
}
