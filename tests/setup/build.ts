/**
 * Vitest global setup: build the app once per run into a private folder (.test-build/<pid>), so
 * tests that speak HTTP to the real server (tests/helpers/app.ts) test the current sources, and
 * never disturb a build an `npm start` is serving.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		appBuild: string;
	}
}

export default function setup(project: TestProject) {
	// CI builds once for its two runs (embedded and external server): TSUNAGU_TEST_APP_BUILD names
	// that build (.ci/run makes it the same way as below). Leave it unset anywhere else: a stale
	// build would test old sources.
	const prebuilt = process.env.TSUNAGU_TEST_APP_BUILD;
	if (prebuilt) {
		project.provide('appBuild', path.resolve(prebuilt));
		return;
	}
	const root = path.resolve(import.meta.dirname, '../..');
	const base = path.join(root, '.test-build', String(process.pid));
	const out = path.join(base, 'build');
	execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
		cwd: root,
		env: { ...process.env, NODE_ENV: 'production', TSUNAGU_BUILD_OUT: out, TSUNAGU_KIT_OUT: path.join(base, 'kit') },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	project.provide('appBuild', out);
	return () => rmSync(base, { recursive: true, force: true });
}
