/**
 * The public API's answers in the public cache, over HTTP against the built app (issue 15): a
 * repeated GET is answered from the cache with the same bytes, a published change reaches it
 * within seconds, and nothing is kept that differs by who asks (language, a session cookie) or
 * that may change without a notification (errors, the NDJSON stream).
 *
 * "From the cache" is observed as the page cache's tests observe it: a change written with the
 * tables' triggers off (no notification, tests/helpers/behind.ts) is not seen until a
 * notification comes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testDatabase } from '../../../tests/helpers/db';
import { startApp, type RunningApp } from '../../../tests/helpers/app';
import { makeOrganization, makeOrganizationWithProgram, makeProgram, uniqueTag } from '../../../tests/helpers/factories';
import { changeUnheard, retitleProgramInTable } from '../../../tests/helpers/behind';
import type { Database } from '$lib/server/db';

let database: Database;
let app: RunningApp;
let admin: pg.Client;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await ok())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(50);
	}
}

beforeAll(async () => {
	database = await testDatabase();
	admin = new pg.Client({ connectionString: database.adminUrl });
	await admin.connect();
	// A long TTL, so that only a notification can make the app read again; no open-data export
	// beside the tests.
	app = await startApp(database.adminUrl, { PUBLIC_CACHE_SECONDS: '600', OPENDATA_EXPORT_QUIET_SECONDS: '3600' });
	// The cache keeps nothing until the app's connection listens for changes.
	await until('the app to listen for public changes', async () => (await admin.query(`select 1 from pg_stat_activity where query ilike 'LISTEN tsunagu_public_changed%' and datname = current_database()`)).rowCount! > 0, 30_000);
}, 180_000);
afterAll(async () => {
	await app?.stop();
	await admin?.end();
	await database?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.baseUrl}${path}`, { headers: { 'accept-language': 'ja', ...headers } });

/** Status, the headers that do not change from one request to the next, and the body's bytes. */
async function answer(path: string, headers: Record<string, string> = {}) {
	const response = await get(path, headers);
	const body = await response.text();
	const stable = [...response.headers].filter(([name]) => !['date', 'x-request-id', 'connection', 'keep-alive'].includes(name));
	return { status: response.status, headers: stable, body, requestId: response.headers.get('x-request-id'), setCookie: response.headers.get('set-cookie') };
}

const retitleUnheard = (programId: string, title: string) => changeUnheard(admin, 'update programs set title = $2 where id = $1', [programId, title]);
const notify = () => admin.query(`select pg_notify('tsunagu_public_changed', 'programs')`);

describe('a repeated public API GET', () => {
	it.each([
		['a program', (id: string) => `/api/v1/programs/${id}`, (body: string) => JSON.parse(body).name],
		['a search', () => `/api/v1/programs?${new URLSearchParams({ q: '試験プログラム', per_page: '100' })}`, (body: string, id: string) => JSON.parse(body).contents.find((p: { id: string }) => p.id === id)?.name],
		['an HSDS service', (id: string) => `/api/hsds/services/${id}`, (body: string) => JSON.parse(body).name],
		['an HSDS page of services', () => `/api/hsds/services?per_page=100`, (body: string, id: string) => JSON.parse(body).contents.find((s: { id: string }) => s.id === id)?.name]
	])('%s: answered from the cache with the same bytes until a change is heard', async (_, pathOf, nameIn) => {
		const title = `試験プログラム${uniqueTag()}`;
		const { programId } = await makeOrganizationWithProgram(database.db, { edit: { title } });
		const path = pathOf(programId);
		const first = await answer(path);
		expect(first.status).toBe(200);
		expect(nameIn(first.body, programId)).toBe(title);

		await retitleUnheard(programId, `${title}（改題）`);
		const second = await answer(path);
		// The same answer, byte for byte (its own request id aside), though the row has changed.
		expect(second.body).toBe(first.body);
		expect(second.headers).toEqual(first.headers);
		expect(second.requestId).not.toBe(first.requestId);

		await notify();
		await until('the new title after the notification', async () => nameIn((await answer(path)).body, programId) === `${title}（改題）`);
	});

	it('shows a change published by staff within seconds (the table’s own notification)', async () => {
		const title = `試験プログラム${uniqueTag()}`;
		const { programId } = await makeOrganizationWithProgram(database.db, { edit: { title } });
		const path = `/api/v1/programs/${programId}`;
		expect(JSON.parse((await answer(path)).body).name).toBe(title);
		expect(JSON.parse((await answer(path)).body).name).toBe(title);
		await retitleProgramInTable(database.db, programId, `${title}（公開）`);
		const started = Date.now();
		await until('the published title', async () => JSON.parse((await answer(path)).body).name === `${title}（公開）`);
		expect(Date.now() - started).toBeLessThan(5000);
	});
});

describe('answers that differ by who asks are kept apart', () => {
	it('by language (Accept-Language, or the lang cookie over it)', async () => {
		const { programId } = await makeOrganizationWithProgram(database.db);
		const path = `/api/v1/programs/${programId}`;
		const costText = (body: string) => JSON.parse(body).cost.text as string;
		const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
		const en = await answer(path, { 'accept-language': 'en' });
		const ja = await answer(path, { 'accept-language': 'ja' });
		const jaByCookie = await answer(path, { 'accept-language': 'en', cookie: 'lang=ja' });
		const enAgain = await answer(path, { 'accept-language': 'en' });
		expect(costText(en.body)).not.toMatch(japanese);
		expect(costText(ja.body)).toMatch(japanese);
		expect(jaByCookie.body).toBe(ja.body);
		expect(enAgain.body).toBe(en.body);
		for (const a of [en, ja, jaByCookie, enAgain]) expect(a.headers.find(([name]) => name === 'vary')?.[1]).toMatch(/Accept-Language.*Cookie/);
	});

	it('a request with a session cookie is answered afresh, and its stale cookie still cleared', async () => {
		const title = `試験プログラム${uniqueTag()}`;
		const { programId } = await makeOrganizationWithProgram(database.db, { edit: { title } });
		const path = `/api/v1/programs/${programId}`;
		await answer(path);
		await answer(path);
		await retitleUnheard(programId, `${title}（改題）`);
		expect(JSON.parse((await answer(path)).body).name).toBe(title);
		const withSession = await answer(path, { cookie: `tsunagu_session=${uniqueTag()}${uniqueTag()}` });
		expect(withSession.status).toBe(200);
		expect(JSON.parse(withSession.body).name).toBe(`${title}（改題）`);
		expect(withSession.setCookie).toMatch(/tsunagu_session=;/);
	});

	it('the NDJSON stream is never kept (every line read afresh), nor mixed with the JSON page', async () => {
		const title = `試験プログラム${uniqueTag()}`;
		const { programId } = await makeOrganizationWithProgram(database.db, { edit: { title } });
		const ndjson = `/api/hsds/services?format=ndjson`;
		const nameInStream = (body: string) =>
			body
				.split('\n')
				.filter(Boolean)
				.map((line) => JSON.parse(line))
				.find((s: { id: string }) => s.id === programId)?.name;
		const first = await answer(ndjson);
		expect(first.headers.find(([name]) => name === 'content-type')?.[1]).toMatch(/^application\/x-ndjson/);
		expect(nameInStream(first.body)).toBe(title);
		const page = await answer('/api/hsds/services');
		expect(page.headers.find(([name]) => name === 'content-type')?.[1]).toMatch(/^application\/json/);
		await retitleUnheard(programId, `${title}（改題）`);
		expect(nameInStream((await answer(ndjson)).body)).toBe(`${title}（改題）`);
	});
});

describe('error answers', () => {
	it('a 404 is not kept: a program published after it is found at once', async () => {
		const organizationId = await makeOrganization(database.db);
		const programId = await makeProgram(database.db, organizationId, { published: false });
		const path = `/api/v1/programs/${programId}`;
		expect((await answer(path)).status).toBe(404);
		expect((await answer(path)).status).toBe(404);
		await changeUnheard(admin, 'update programs set published = true where id = $1', [programId]);
		expect((await answer(path)).status).toBe(200);
	});

	it('a 400 stays a 400 with its own message, and does not stand for the valid request', async () => {
		const bad = await answer('/api/v1/programs?per_page=0');
		const again = await answer('/api/v1/programs?per_page=0');
		expect(bad.status).toBe(400);
		expect(again.status).toBe(400);
		expect(JSON.parse(again.body).error.code).toBe('invalid_parameter');
		expect((await answer('/api/v1/programs?per_page=1')).status).toBe(200);
		const control = await answer('/api/v1/programs?q=%01');
		expect(control.status).toBe(400);
		expect(JSON.parse(control.body).error.code).toBe('control_character');
	});
});
