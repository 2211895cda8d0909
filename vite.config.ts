import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
		globalSetup: ['tests/setup/database.ts', 'tests/setup/build.ts'],
		// A zone other than Asia/Tokyo, so code that forgets the time zone fails here.
		env: { TZ: 'America/New_York' },
		testTimeout: 30_000,
		hookTimeout: 120_000,
		pool: 'forks',
		maxWorkers: 2
	}
});
