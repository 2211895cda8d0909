/**
 * The counting page's form without JavaScript, over HTTP against the built app: a tap with a field
 * that is not what the page sends (a malformed date id, an unknown age band, a key the server did
 * not make) is a 400 and counts nothing; a good one is counted once and leads back to the page.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../../../../tests/helpers/app';
import { makeProgram } from '../../../../../../tests/helpers/factories';

let programId = '';

const app = useApp({
	seed: 'count-form',
	headers: { 'accept-language': 'ja' },
	async before({ database, cast }) {
		programId = await makeProgram(database.db, cast.orgA, { schedule: null });
	}
});

const tap = (fields: Record<string, string>) => app.post(`/staff/orgs/${app.cast.orgA}/count?/tap`, { programId, ageBand: '20s', gender: 'female', clientKey: randomUUID(), ...fields }, app.cast.people.staff.token);
const counted = async () => Number((await app.admin.query(`select count(*) from visits where program_id = $1`, [programId])).rows[0].count);

describe('a tap posted by the counting form', () => {
	it.each([
		['a malformed date id', { occurrenceId: 'not-a-date' }],
		['an age band the page does not offer', { ageBand: '200s' }],
		['a gender the page does not offer', { gender: 'unknown' }],
		['a key that is not one the server makes', { clientKey: 'abc' }],
		['a malformed program id', { programId: 'nope' }]
	])('is refused with a 400 for %s, and nothing is counted', async (_, fields) => {
		const response = await tap(fields);
		expect(response.status).toBe(400);
		expect(await counted()).toBe(0);
	});

	it('counts a good tap once and goes back to the page, naming the tap for its undo button', async () => {
		const clientKey = randomUUID();
		const response = await tap({ clientKey, visit: 'repeat' });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(`/staff/orgs/${app.cast.orgA}/count?program=${programId}&done=tap&last=${clientKey}`);
		const { rows } = await app.admin.query(`select age_band, gender, first_visit, occurrence_id from visits where program_id = $1`, [programId]);
		expect(rows).toEqual([{ age_band: '20s', gender: 'female', first_visit: false, occurrence_id: null }]);
	});
});
