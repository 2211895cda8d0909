import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { randomBytes } from 'node:crypto';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
		globalSetup: ['tests/setup/database.ts', 'tests/setup/build.ts'],
		// A zone other than Asia/Tokyo, so code that forgets the time zone fails here.
		// A master key for this run only, so no test writes a key file into ./data.
		env: { TZ: 'America/New_York', TSUNAGU_MASTER_KEY: randomBytes(32).toString('base64') },
		testTimeout: 30_000,
		hookTimeout: 120_000,
		pool: 'forks',
		maxWorkers: 2
	}
});
