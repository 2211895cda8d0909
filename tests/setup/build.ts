/**
 * Vitest global setup: build the app once per run into a private folder (.test-build/<pid>), so
 * tests that speak HTTP to the real server (tests/helpers/app.ts) test the current sources, and
 * never disturb a build an `npm start` is serving.
 *
 * The server around the build (scripts/serve.ts) is bundled once too, into plain JavaScript beside
 * it: the suite starts the app some forty times, and under `--import tsx` each start compiled
 * serve.ts again and sent every module of the build through tsx's loader (and its source maps),
 * which cost about 2 of the 5 CPU seconds a start took. The code run is the same serve.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		appBuild: string;
		/** scripts/serve.ts as one JavaScript file (its packages imported from node_modules). */
		appServer: string;
	}
}

export default function setup(project: TestProject) {
	const root = path.resolve(import.meta.dirname, '../..');
	const base = path.join(root, '.test-build', String(process.pid));
	mkdirSync(base, { recursive: true });
	// Inside the project, so that the bundle's imports of packages find node_modules.
	const server = path.join(base, 'serve.mjs');
	buildSync({ entryPoints: [path.join(root, 'scripts', 'serve.ts')], outfile: server, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
	project.provide('appServer', server);
	const cleanUp = () => rmSync(base, { recursive: true, force: true });
	// CI builds once for its two runs (embedded and external server): TSUNAGU_TEST_APP_BUILD names
	// that build (.ci/run makes it the same way as below). Leave it unset anywhere else: a stale
	// build would test old sources.
	const prebuilt = process.env.TSUNAGU_TEST_APP_BUILD;
	if (prebuilt) {
		project.provide('appBuild', path.resolve(prebuilt));
		return cleanUp;
	}
	const out = path.join(base, 'build');
	execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
		cwd: root,
		env: { ...process.env, NODE_ENV: 'production', TSUNAGU_BUILD_OUT: out, TSUNAGU_KIT_OUT: path.join(base, 'kit') },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	project.provide('appBuild', out);
	return cleanUp;
}
