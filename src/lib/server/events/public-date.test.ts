/**
 * A date as the public sees it (the event page): only a date of a published program is found; a
 * date of a program that is a draft or was taken off the public pages is not, whoever asks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOccurrence, makeOrganization, makeProgram } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { publicCalendarEntry } from './index';

let database: Database;
let organizationId: string;

beforeAll(async () => {
	database = await testDatabase();
	organizationId = await makeOrganization(database.db);
});
afterAll(() => database?.close());

describe('publicCalendarEntry', () => {
	it('finds a date of a published program', async () => {
		const programId = await makeProgram(database.db, organizationId, { schedule: null });
		const date = await makeOccurrence(database.db, organizationId, programId);
		expect(await publicCalendarEntry(database.db, date.id)).toMatchObject({ id: date.id, programId });
	});

	it('does not find a date of a program that is not published', async () => {
		const programId = await makeProgram(database.db, organizationId, { schedule: null, published: false });
		const date = await makeOccurrence(database.db, organizationId, programId);
		expect(await publicCalendarEntry(database.db, date.id)).toBeNull();
	});

	it('does not find a date that does not exist', async () => {
		expect(await publicCalendarEntry(database.db, '00000000-0000-4000-8000-000000000000')).toBeNull();
	});
});
