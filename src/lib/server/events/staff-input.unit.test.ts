import { describe, expect, it } from 'vitest';
import { readMove, readOneOff, readSettings } from './staff-input';
import { zonedInstant } from '../directory';

const form = (day: string) => {
	const f = new FormData();
	f.set('day', day);
	f.set('start', '10:00');
	f.set('end', '12:00');
	return f;
};

const formOf = (fields: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
};

const PROGRAM = '3f2b6c1e-8d4a-4b2c-9e1f-0a1b2c3d4e5f';

describe('a date staff move an occurrence to', () => {
	it('is a real day within the stated range (2000-01-01 to 2100-12-31)', () => {
		expect(readMove(form('2026-12-05')).ok).toBe(true);
		for (const day of ['9999-12-31', '0000-01-01', '1999-12-31', '2101-01-01', '2026-02-30', '2026-1-5']) {
			const parsed = readMove(form(day));
			expect(parsed.ok, day).toBe(false);
			if (!parsed.ok) expect(parsed.errors.day).toBe('events.error.day');
		}
	});
});

describe('readMove', () => {
	it('reads a day, times (Tokyo) and a note, trimmed', () => {
		expect(readMove(formOf({ day: ' 2026-12-05 ', start: ' 10:00', end: '12:30 ', note: '  bring shoes ' }))).toEqual({
			ok: true,
			value: { startsAt: zonedInstant('2026-12-05', '10:00'), endsAt: zonedInstant('2026-12-05', '12:30'), note: 'bring shoes' }
		});
		expect(zonedInstant('2026-12-05', '10:00').toISOString()).toBe('2026-12-05T01:00:00.000Z');
	});

	it('leaves out an empty end and an empty note', () => {
		expect(readMove(formOf({ day: '2026-12-05', start: '23:59' }))).toEqual({ ok: true, value: { startsAt: zonedInstant('2026-12-05', '23:59'), endsAt: null, note: null } });
	});

	it('names each wrong field and echoes what was typed', () => {
		expect(readMove(formOf({ day: 'x', start: '24:00', end: '9:00', note: ` ${'a'.repeat(501)} ` }))).toEqual({
			ok: false,
			values: { day: 'x', start: '24:00', end: '9:00', note: 'a'.repeat(501) },
			errors: { day: 'events.error.day', start: 'events.error.time', end: 'events.error.time', note: 'events.error.note' }
		});
		expect(readMove(new FormData())).toEqual({ ok: false, values: { day: '', start: '', end: '', note: '' }, errors: { day: 'events.error.day', start: 'events.error.time' } });
		for (const time of ['10:60', '1000', '10:0', 'ab:cd', '10:00:00']) {
			const parsed = readMove(formOf({ day: '2026-12-05', start: time, end: time }));
			expect(parsed.ok ? {} : parsed.errors, time).toEqual({ start: 'events.error.time', end: 'events.error.time' });
		}
		expect(readMove(formOf({ day: '2026-12-05', start: '10:00', note: 'a'.repeat(500) })).ok).toBe(true);
	});

	it('refuses an end at or before the start, even with other fields wrong', () => {
		for (const end of ['10:00', '09:59', '00:00']) {
			const parsed = readMove(formOf({ day: '2026-12-05', start: '10:00', end }));
			expect(parsed, end).toEqual({ ok: false, values: { day: '2026-12-05', start: '10:00', end, note: '' }, errors: { end: 'events.error.endBeforeStart' } });
		}
		expect(readMove(formOf({ day: 'bad', start: '10:00', end: '09:00' }))).toMatchObject({ ok: false, errors: { day: 'events.error.day', end: 'events.error.endBeforeStart' } });
		// A wrong start leaves the end alone.
		expect(readMove(formOf({ day: '2026-12-05', start: 'x', end: '09:00' }))).toEqual({ ok: false, values: { day: '2026-12-05', start: 'x', end: '09:00', note: '' }, errors: { start: 'events.error.time' } });
	});
});

describe('readSettings', () => {
	it('defaults to a session for people, without registration or a capacity', () => {
		expect(readSettings(new FormData())).toEqual({ ok: true, value: { kind: 'session', registrationOpen: false, capacity: null, capacityUnit: 'people', registrationOpensAt: null, registrationClosesAt: null } });
	});

	it('reads a kind, registration, a capacity and its unit', () => {
		expect(readSettings(formOf({ kind: 'visit', registrationOpen: 'on', capacity: ' 12 ', capacityUnit: 'groups' }))).toEqual({ ok: true, value: { kind: 'visit', registrationOpen: true, capacity: 12, capacityUnit: 'groups', registrationOpensAt: null, registrationClosesAt: null } });
		expect(readSettings(formOf({ registrationOpen: 'yes' }))).toMatchObject({ ok: true, value: { registrationOpen: false } });
	});

	it('takes capacities from 1 to 10000, written as numbers', () => {
		for (const [typed, capacity] of [
			['1', 1],
			['10000', 10000],
			['5.0', 5],
			['1e2', 100]
		] as const)
			expect(readSettings(formOf({ capacity: typed })), typed).toMatchObject({ ok: true, value: { capacity } });
		for (const typed of ['0', '-1', '10001', '2.5', 'ten', '１２']) {
			expect(readSettings(formOf({ capacity: typed, kind: 'visit' })), typed).toEqual({
				ok: false,
				values: { kind: 'visit', registrationOpen: false, capacity: typed, capacityUnit: 'people', registrationOpensAt: '', registrationClosesAt: '' },
				errors: { capacity: 'events.error.capacity' }
			});
		}
	});

	it('refuses an unknown kind or unit, echoing what was typed', () => {
		expect(readSettings(formOf({ kind: 'party', registrationOpen: 'on', capacity: '3', capacityUnit: 'tables' }))).toEqual({
			ok: false,
			values: { kind: 'party', registrationOpen: true, capacity: '3', capacityUnit: 'tables', registrationOpensAt: '', registrationClosesAt: '' },
			errors: { kind: 'events.error.kind', capacity: 'events.error.capacity' }
		});
		expect(readSettings(formOf({ kind: 'Session' }))).toMatchObject({ ok: false, errors: { kind: 'events.error.kind' } });
		expect(readSettings(formOf({ capacityUnit: 'groups ' }))).toMatchObject({ ok: true, value: { capacityUnit: 'groups' } });
	});
});

describe('the registration window of a date', () => {
	it('reads both moments in Tokyo time, or none', () => {
		expect(readSettings(formOf({ registrationOpensAt: '2026-12-01T09:00', registrationClosesAt: '2026-12-04 18:30' }))).toMatchObject({
			ok: true,
			value: { registrationOpensAt: zonedInstant('2026-12-01', '09:00'), registrationClosesAt: zonedInstant('2026-12-04', '18:30') }
		});
		expect(readSettings(formOf({ registrationOpensAt: '', registrationClosesAt: '2026-12-04T18:30' }))).toMatchObject({ ok: true, value: { registrationOpensAt: null } });
	});

	it('refuses a close before (or at) the open, and malformed moments, saying which field', () => {
		const values = { registrationOpensAt: '2026-12-04T18:30', registrationClosesAt: '2026-12-01T09:00' };
		expect(readSettings(formOf(values))).toEqual({ ok: false, values: { kind: 'session', registrationOpen: false, capacity: '', capacityUnit: 'people', ...values }, errors: { registrationClosesAt: 'events.error.closesBeforeOpens' } });
		expect(readSettings(formOf({ registrationOpensAt: '2026-12-01T09:00', registrationClosesAt: '2026-12-01T09:00' }))).toMatchObject({ ok: false, errors: { registrationClosesAt: 'events.error.closesBeforeOpens' } });
		for (const typed of ['2026-02-30T09:00', '2026-12-01T24:00', 'あした', '2026-12-01']) expect(readSettings(formOf({ registrationOpensAt: typed, registrationClosesAt: '2026-12-04T18:30' })), typed).toMatchObject({ ok: false, errors: { registrationOpensAt: 'events.error.windowAt' } });
	});
});

describe('readOneOff', () => {
	const valid = { programId: PROGRAM, title: ' 見学会 ', day: '2026-12-05', start: '10:00', end: '11:30', note: 'n', kind: 'visit', registrationOpen: 'on', capacity: '4', capacityUnit: 'groups', registrationOpensAt: '', registrationClosesAt: '', settingsFrom: 'own' };

	it('reads the program, its own title, when, and the settings', () => {
		expect(readOneOff(formOf(valid))).toEqual({
			ok: true,
			value: {
				programId: PROGRAM,
				title: '見学会',
				startsAt: zonedInstant('2026-12-05', '10:00'),
				endsAt: zonedInstant('2026-12-05', '11:30'),
				note: 'n',
				kind: 'visit',
				registrationOpen: true,
				capacity: 4,
				capacityUnit: 'groups',
				registrationOpensAt: null,
				registrationClosesAt: null,
				followsProgram: false
			},
			values: expect.anything()
		});
		expect(readOneOff(formOf({ programId: PROGRAM.toUpperCase(), day: '2026-12-05', start: '10:00' }))).toEqual({
			ok: true,
			value: { programId: PROGRAM.toUpperCase(), title: null, startsAt: zonedInstant('2026-12-05', '10:00'), endsAt: null, note: null, kind: 'session', registrationOpen: false, capacity: null, capacityUnit: 'people', registrationOpensAt: null, registrationClosesAt: null, followsProgram: true },
			values: expect.anything()
		});
		// Any hex UUID, as PostgreSQL's uuid type takes it.
		expect(readOneOff(formOf({ programId: '11111111-1111-1111-1111-111111111111', day: '2026-12-05', start: '10:00' })).ok).toBe(true);
	});

	it('follows the program’s defaults unless told to keep its own, and checks its own window', () => {
		expect(readOneOff(formOf({ ...valid, settingsFrom: '' }))).toMatchObject({ ok: true, value: { followsProgram: true } });
		expect(readOneOff(formOf({ ...valid, settingsFrom: 'program' }))).toMatchObject({ ok: true, value: { followsProgram: true } });
		expect(readOneOff(formOf({ ...valid, registrationOpensAt: '2026-11-20T00:00', registrationClosesAt: '2026-12-04T12:00' }))).toMatchObject({
			ok: true,
			value: { followsProgram: false, registrationOpensAt: zonedInstant('2026-11-20', '00:00'), registrationClosesAt: zonedInstant('2026-12-04', '12:00') }
		});
		expect(readOneOff(formOf({ ...valid, registrationOpensAt: '2026-12-04T12:00', registrationClosesAt: '2026-11-20T00:00' }))).toMatchObject({ ok: false, errors: { registrationClosesAt: 'events.error.closesBeforeOpens' } });
		expect(readOneOff(formOf({ ...valid, settingsFrom: 'both' }))).toMatchObject({ ok: false });
		// Following the program: what is typed in the own fields (unused) stops nothing, and is kept on the form.
		expect(readOneOff(formOf({ ...valid, settingsFrom: 'program', capacity: 'たくさん', registrationClosesAt: 'x' }))).toMatchObject({ ok: true, value: { followsProgram: true, capacity: null }, values: { capacity: 'たくさん' } });
	});

	it('names every wrong field at once and echoes the form with its defaults', () => {
		expect(readOneOff(formOf({ programId: 'not-a-uuid', title: 't'.repeat(121), day: '2026-02-30', start: '7:00', end: '25:00', note: 'x'.repeat(501), kind: 'party', capacity: '0', capacityUnit: 'people', settingsFrom: 'own' }))).toEqual({
			ok: false,
			values: { programId: 'not-a-uuid', title: 't'.repeat(121), day: '2026-02-30', start: '7:00', end: '25:00', note: 'x'.repeat(501), kind: 'party', registrationOpen: false, capacity: '0', capacityUnit: 'people', registrationOpensAt: '', registrationClosesAt: '', settingsFrom: 'own' },
			errors: { programId: 'events.error.program', title: 'events.error.title', day: 'events.error.day', start: 'events.error.time', end: 'events.error.time', note: 'events.error.note', kind: 'events.error.kind', capacity: 'events.error.capacity' }
		});
		expect(readOneOff(new FormData())).toEqual({
			ok: false,
			values: { programId: '', title: '', day: '', start: '', end: '', note: '', kind: 'session', registrationOpen: false, capacity: '', capacityUnit: 'people', registrationOpensAt: '', registrationClosesAt: '', settingsFrom: 'program' },
			errors: { programId: 'events.error.program', day: 'events.error.day', start: 'events.error.time' }
		});
	});

	it('refuses one wrong field alone, echoing the rest trimmed', () => {
		const cases: [Record<string, string>, Record<string, string>][] = [
			[{ programId: `${PROGRAM}0` }, { programId: 'events.error.program' }],
			[{ programId: PROGRAM.replace(/-/g, '') }, { programId: 'events.error.program' }],
			[{ title: 't'.repeat(121) }, { title: 'events.error.title' }],
			[{ end: '10:00' }, { end: 'events.error.endBeforeStart' }],
			[{ capacityUnit: 'tables' }, { capacity: 'events.error.capacity' }],
			[{ kind: 'party' }, { kind: 'events.error.kind' }]
		];
		for (const [change, errors] of cases) {
			const parsed = readOneOff(formOf({ ...valid, ...change }));
			expect(parsed, JSON.stringify(change)).toEqual({ ok: false, values: { ...valid, ...change, title: ({ ...valid, ...change }.title ?? '').trim(), registrationOpen: true }, errors });
		}
		expect(readOneOff(formOf({ ...valid, title: 't'.repeat(120) })).ok).toBe(true);
	});
});
