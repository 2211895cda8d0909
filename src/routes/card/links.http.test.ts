/**
 * Residents' private links and cards over HTTP against the built app: someone guessing links from
 * one address is refused there alone; a valid card or registration link always works, for anyone;
 * issuing cards is limited per network, never platform-wide. The app trusts X-Forwarded-For here
 * (ADDRESS_HEADER, as behind a reverse proxy), so each request can come from its own address.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { useApp } from '../../../tests/helpers/app';
import { register } from '$lib/server/events/registrations';
import { makeOccurrence, makeOrganizationWithProgram, residentOn } from '../../../tests/helpers/factories';

let organizationId: string;
let programId: string;

const app = useApp({
	env: { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' },
	async before({ database }) {
		({ organizationId, programId } = await makeOrganizationWithProgram(app.database.db));
	}
});
const get = (path: string, address: string) => app.get(path, undefined, { 'x-forwarded-for': address });
const post = (path: string, address: string, body: URLSearchParams) => app.post(path, body, undefined, { 'x-forwarded-for': address });
// A link of the right shape that belongs to nobody.
const guess = () => randomBytes(32).toString('base64url');

async function issueCard(address: string): Promise<Response> {
	return post(
		'/card',
		address,
		new URLSearchParams([
			['organizations', organizationId],
			['consent', 'on']
		])
	);
}
const tokenOf = (response: Response) => new URL(response.headers.get('location')!, app.baseUrl).pathname.split('/')[2];

/** Guess `n` links from one address, ten at a time; the statuses seen. */
async function guessFrom(address: string, prefix: '/card/' | '/registrations/', n: number): Promise<number[]> {
	const statuses: number[] = [];
	for (let i = 0; i < n; i += 10) {
		const batch = await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => get(prefix + guess(), address)));
		for (const response of batch) {
			statuses.push(response.status);
			await response.body?.cancel();
		}
	}
	return statuses;
}

describe('issuing cards', () => {
	it('issues cards to residents at 12 different addresses in one hour', async () => {
		const statuses = [];
		for (let i = 1; i <= 12; i++) statuses.push((await issueCard(`198.51.100.${i}`)).status);
		expect(statuses).toEqual(Array(12).fill(303));
	});

	it('stops one address after 10 cards in an hour, and only that one', async () => {
		const statuses = [];
		for (let i = 0; i < 11; i++) statuses.push((await issueCard('203.0.113.50')).status);
		expect(statuses).toEqual([...Array(10).fill(303), 429]);
		expect((await issueCard('198.51.100.99')).status).toBe(303);
	});

	// 20 at once: within what the test server admits (4 inside, 20 queued), so none is shed with a 503.
	it('issues at most 10 of 20 cards asked for at once from one address', async () => {
		const responses = await Promise.all(Array.from({ length: 20 }, () => issueCard('203.0.113.77')));
		const statuses = responses.map((r) => r.status);
		await Promise.all(responses.map((r) => r.body?.cancel()));
		expect(statuses.filter((s) => s === 303).length).toBe(10);
		expect(statuses.filter((s) => s === 429).length).toBe(10);
	});
});

describe("the card's organisations", () => {
	const ticked = (page: string) => [...page.matchAll(/value="([0-9a-f-]{36})" checked/g)].map((m) => m[1]);

	it('keeps the organisations ticked on the card page, and refuses one the page does not offer, changing nothing', async () => {
		const { organizationId: other } = await makeOrganizationWithProgram(app.database.db);
		const token = tokenOf(await issueCard('100.64.12.7'));
		const consents = (ids: string[]) => post(`/card/${token}?/consents`, '100.64.12.7', new URLSearchParams(ids.map((id) => ['organizations', id])));
		const refused = await consents([other, randomUUID()]);
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('選べない団体が含まれていました');
		expect(ticked(await (await get(`/card/${token}`, '100.64.12.7')).text())).toEqual([organizationId]);
		expect((await consents([other])).status).toBe(303);
		const page = await (await get(`/card/${token}`, '100.64.12.7')).text();
		expect(ticked(page)).toEqual([other]);
		expect(page).toContain(`value="${organizationId}"`);
	});

	it('asks for an organisation and the consent beside their fields, and issues nothing without them', async () => {
		const response = await post('/card', '100.64.12.9', new URLSearchParams([['ageBand', '30s']]));
		expect(response.status).toBe(400);
		const page = await response.text();
		expect(page).toContain('使う団体を1つ以上選んでください。');
		expect(page).toContain('同意のチェックを入れてください。');
		const unticked = await post('/card', '100.64.12.9', new URLSearchParams([['organizations', organizationId]]));
		expect(unticked.status).toBe(400);
		expect(await unticked.text()).not.toContain('使う団体を1つ以上選んでください。');
	});

	it('issues no card naming an organisation the form does not offer (one with no published program)', async () => {
		const { organizationId: unpublished } = await makeOrganizationWithProgram(app.database.db, { published: false });
		for (const chosen of [[randomUUID()], [organizationId, unpublished]]) {
			const response = await post('/card', '100.64.12.8', new URLSearchParams([...chosen.map((id) => ['organizations', id]), ['consent', 'on']]));
			expect(response.status, chosen.join()).toBe(400);
			expect(await response.text()).toContain('使う団体を1つ以上選んでください');
		}
	});
});

describe("guessing residents' links", () => {
	it("refuses the guessing address, while a resident's card keeps working, withdrawal included", async () => {
		const issued = await issueCard('192.0.2.20');
		expect(issued.status).toBe(303);
		const token = tokenOf(issued);

		const statuses = await guessFrom('203.0.113.66', '/card/', 100);
		expect(statuses.slice(0, 20)).toEqual(Array(20).fill(404));
		expect(statuses.slice(20)).toEqual(Array(80).fill(429));

		// The resident, from their own address: the card, then withdrawing it.
		expect((await get(`/card/${token}`, '192.0.2.20')).status).toBe(200);
		// A valid link works even from the address that was guessing.
		expect((await get(`/card/${token}`, '203.0.113.66')).status).toBe(200);
		// Another address that mistypes a link gets an honest 404, not the guesser's 429.
		expect((await get(`/card/${guess()}`, '192.0.2.21')).status).toBe(404);
		const revoked = await post(`/card/${token}?/revoke`, '192.0.2.20', new URLSearchParams());
		expect(revoked.status).toBe(303);
		expect(revoked.headers.get('location')).toContain('done=revoked');
	}, 60_000);

	it("keeps a resident's registration link working after 100 wrong guesses from another address", async () => {
		// A week from now, open for registration, 10 places.
		const date = await makeOccurrence(app.database.db, organizationId, programId, { inDays: 7, registrationOpen: true, capacity: 10, capacityUnit: 'people' });
		const registered = await register(residentOn(app.database.db, { ip: '192.0.2.30' }), { occurrenceId: date.id, registration: { name: 'つなぐ たろう', contact: 'taro@example.org', groupSize: 1, needs: '', card: '', consent: 'on', submissionKey: 'links-http-test-0001' }, cardId: null });
		const made = registered.ok ? registered.value : null;
		if (!made?.token) throw new Error('not registered');

		const statuses = await guessFrom('203.0.113.77', '/registrations/', 100);
		expect(statuses.filter((s) => s === 429).length).toBe(80);

		expect((await get(`/registrations/${made.token}`, '192.0.2.30')).status).toBe(200);
		expect((await get(`/registrations/${made.token}`, '203.0.113.77')).status).toBe(200);
		const cancelled = await post(`/registrations/${made.token}?/cancel`, '192.0.2.30', new URLSearchParams());
		expect(cancelled.status).toBe(303);
	}, 60_000);

	it('answers a link of the wrong shape with a 404, not an error', async () => {
		const response = await get('/card/short', '192.0.2.40');
		expect(response.status).toBe(404);
	});
});
