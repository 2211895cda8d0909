/**
 * The guard's answers over HTTP: the staff API (/api/…) answers a request it refuses with the
 * platform's JSON error (`{error: {code, message, details}}`: 401 without a session, 403 for a
 * second factor not set up or a permission not held), never a redirect to a page a phone's script
 * cannot follow; pages keep redirecting to the login and set-up pages.
 */
import { describe, expect, it } from 'vitest';
import { useApp } from '../../../../tests/helpers/app';

const app = useApp({ seed: 'g' });

const api = (path: string, token: string | null, accept = 'application/json') =>
	fetch(app.baseUrl + path, {
		method: 'POST',
		headers: { accept, 'content-type': 'application/json', ...(token ? { cookie: `tsunagu_session=${token}` } : {}) },
		body: JSON.stringify({}),
		redirect: 'manual'
	});

async function expectJsonError(response: Response, status: number, code: string) {
	expect(response.status).toBe(status);
	expect(response.headers.get('location')).toBeNull();
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	expect(response.headers.get('cache-control')).toBe('no-store');
	const body = await response.json();
	expect(body).toEqual({ error: { code, message: expect.any(String), details: [] } });
}

describe('the staff API refuses in JSON', () => {
	it('401 without a session, whatever the client accepts', async () => {
		for (const endpoint of ['checkins', 'taps']) {
			await expectJsonError(await api(`/api/v1/orgs/${app.cast.orgA}/${endpoint}`, null), 401, 'unauthenticated');
			await expectJsonError(await api(`/api/v1/orgs/${app.cast.orgA}/${endpoint}`, null, 'text/html'), 401, 'unauthenticated');
		}
	});

	it('403 for a role whose second factor is not set up', async () => {
		await expectJsonError(await api(`/api/v1/orgs/${app.cast.orgA}/checkins`, app.cast.people.unenrolled.token), 403, 'second_factor_required');
	});

	it('403 for a permission not held here', async () => {
		await expectJsonError(await api(`/api/v1/orgs/${app.cast.orgA}/checkins`, app.cast.people.counsellor.token), 403, 'forbidden');
		await expectJsonError(await api(`/api/v1/orgs/${app.cast.orgB}/taps`, app.cast.people.staff.token, 'text/html'), 403, 'forbidden');
	});
});

describe('pages keep redirecting', () => {
	it('to the login page without a session, and to the set-up page for a second factor not set up', async () => {
		const page = (token: string | null) => fetch(`${app.baseUrl}/staff/orgs/${app.cast.orgA}/checkin`, { headers: { accept: 'text/html', ...(token ? { cookie: `tsunagu_session=${token}` } : {}) }, redirect: 'manual' });
		const anonymous = await page(null);
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/staff/orgs/${app.cast.orgA}/checkin`)}`);
		const unenrolled = await page(app.cast.people.unenrolled.token);
		expect(unenrolled.status).toBe(303);
		expect(unenrolled.headers.get('location')).toBe('/account/2fa');
	});
});
