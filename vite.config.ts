import { sveltekit } from '@sveltejs/kit/vite';
import { configDefaults, defineConfig } from 'vitest/config';
import { randomBytes } from 'node:crypto';

/**
 * Two projects, split by file name:
 * - unit: `*.unit.test.ts`, pure functions — no database, no built app, no global setup; seconds
 *   (`npm run test:unit`).
 * - integration: every other `*.test.ts` — one PostgreSQL server (embedded, or DATABASE_URL) with a
 *   template database, and the app built once (tests/setup/).
 * A new test that is not named `.unit.test.ts` lands in integration: slower, never wrong.
 */
const UNIT = ['src/**/*.unit.test.ts', 'tests/unit/**/*.unit.test.ts'];
/**
 * `TSUNAGU_TESTS=server` (CI's second run, on the external server): what depends on the server —
 * migrations, policies, queries, module operations — without the tests that speak to the app over
 * HTTP, the route × role × tenant matrix and the process tests, which reach either server through
 * the same code and ran on the embedded one. (A CLI `--exclude` does not reach a project's own list.)
 */
const APP_TESTS = ['src/**/*.http.test.ts', 'src/routes/api/v1/openapi.test.ts', 'tests/unit/authorization-matrix.test.ts', 'tests/unit/several-processes.test.ts', 'tests/unit/server.test.ts'];
const serverOnly = process.env.TSUNAGU_TESTS === 'server';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		// A zone other than Asia/Tokyo, so code that forgets the time zone fails here.
		// A master key for this run only, so no test writes a key file into ./data.
		env: { TZ: 'America/New_York', TSUNAGU_MASTER_KEY: randomBytes(32).toString('base64') },
		testTimeout: 30_000,
		hookTimeout: 120_000,
		pool: 'forks',
		maxWorkers: 2,
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: UNIT }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
					exclude: [...configDefaults.exclude, ...UNIT, ...(serverOnly ? APP_TESTS : [])],
					globalSetup: ['tests/setup/database.ts', 'tests/setup/build.ts'],
					// The files of one worker share their imported modules instead of importing the server
					// code again for each file: importing took a quarter of the workers' time (261 s of
					// 1,040 s in CI's embedded run on 2026-12-03), and more each time the suite grew.
					isolate: false
				}
			}
		]
	}
});
