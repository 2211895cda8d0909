/**
 * The public cache hears published data change (pg_notify from migration 0016's triggers) and
 * drops what it kept; it keeps nothing while it cannot hear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { makeOrganizationWithProgram } from '../../../../tests/helpers/factories';
import { asSystem, type Database } from '../db';
import { cachedPublic, getPublic, MAX_SIZE, publicCacheActive, publicCacheStats, publicCacheToken, putPublic, startPublicCacheListener, type PublicCacheListener } from './index';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(ok: () => boolean, timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	while (!ok()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await sleep(20);
	}
}

describe('public cache', () => {
	let database: Database;
	let listener: PublicCacheListener;
	let programId: string;
	beforeAll(async () => {
		database = await testDatabase();
		({ programId } = await makeOrganizationWithProgram(database.db));
	});
	afterAll(async () => {
		await listener?.stop();
		await database.close();
	});

	const title = async () => (await database.db.execute<{ title: string }>(sql`select title from programs where id = ${programId}`)).rows[0].title;

	it('keeps nothing until it listens', async () => {
		expect(publicCacheActive()).toBe(false);
		let reads = 0;
		await cachedPublic('k', async () => ++reads);
		await cachedPublic('k', async () => ++reads);
		expect(reads).toBe(2);
	});

	it('serves a kept read until published data changes, then reads again', async () => {
		listener = startPublicCacheListener(database.pool.options, { PUBLIC_CACHE_SECONDS: '60' });
		await listener.ready;
		expect(publicCacheActive()).toBe(true);
		const first = await cachedPublic(`program:${programId}`, title);
		await asSystem(database.db, (tx) => tx.execute(sql`update programs set title = 'キャッシュ確認の新しい題' where id = ${programId}`));
		// Until the notification arrives the old answer may be served; within a moment it is gone.
		await until(() => getPublic(`program:${programId}`) === undefined);
		expect(await cachedPublic(`program:${programId}`, title)).toBe('キャッシュ確認の新しい題');
		expect(first).not.toBe('キャッシュ確認の新しい題');
	});

	it('does not keep an answer read before a change it did not see', async () => {
		let release!: () => void;
		const slow = cachedPublic('slow', () => new Promise<string>((r) => (release = () => r('old'))));
		const before = publicCacheStats().generation;
		await asSystem(database.db, (tx) => tx.execute(sql`update organizations set name = name where id = (select organization_id from programs where id = ${programId})`));
		await until(() => publicCacheStats().generation > before);
		release();
		expect(await slow).toBe('old');
		expect(getPublic('slow')).toBeUndefined();
	});

	it('shares one read among concurrent misses', async () => {
		let reads = 0;
		const values = await Promise.all(Array.from({ length: 5 }, () => cachedPublic('shared', async () => (await sleep(50), ++reads))));
		expect(values).toEqual([1, 1, 1, 1, 1]);
		expect(reads).toBe(1);
	});

	it('keeps at most MAX_SIZE of declared sizes, dropping the oldest first', async () => {
		const third = Math.floor(MAX_SIZE / 3);
		for (const key of ['big1', 'big2', 'big3']) putPublic(key, key, publicCacheToken(), third);
		expect([getPublic('big1'), getPublic('big2'), getPublic('big3')]).toEqual(['big1', 'big2', 'big3']);
		putPublic('big4', 'big4', publicCacheToken(), third);
		expect(getPublic('big1')).toBeUndefined();
		expect([getPublic('big2'), getPublic('big3'), getPublic('big4')]).toEqual(['big2', 'big3', 'big4']);
		// Stored again under its key, an answer replaces its old size rather than adding to it.
		putPublic('big4', 'big4 again', publicCacheToken(), third);
		expect(getPublic('big2')).toBe('big2');
		// One answer larger than the whole budget is not kept, and pushes nothing out.
		putPublic('huge', 'huge', publicCacheToken(), MAX_SIZE + 1);
		expect(getPublic('huge')).toBeUndefined();
		expect(getPublic('big3')).toBe('big3');
		expect(publicCacheStats().size).toBeLessThanOrEqual(MAX_SIZE);
	});

	it('stops caching when its connection is lost, and listens again', async () => {
		await cachedPublic('kept', async () => 1);
		expect(getPublic('kept')).toBe(1);
		// The server ends the listening connection (as a restart or a network cut would).
		await asSystem(database.db, (tx) => tx.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'LISTEN tsunagu_public_changed%' and datname = current_database()`)).catch(() => undefined);
		await until(() => !publicCacheActive());
		expect(getPublic('kept')).toBeUndefined();
		await until(() => publicCacheActive(), 10_000);
	});
});
