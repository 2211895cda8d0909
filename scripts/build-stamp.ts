/**
 * The fingerprint of the sources a build was made from, kept beside the build in
 * build/.fingerprint: `npm start` rebuilds only when it differs, and CI, having built once for
 * its test runs, stamps that build so the browser tests start without building again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const inputs = ['src', 'static', 'package-lock.json', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json'];

export const stampFile = path.join('build', '.fingerprint');

/** Hash of every input file's path and content, read relative to the current directory. */
export function fingerprint(): string {
	const hash = createHash('sha256');
	const walk = (p: string) => {
		if (!existsSync(p)) return;
		const stat = statSync(p);
		if (stat.isDirectory()) for (const name of readdirSync(p).sort()) walk(path.join(p, name));
		else hash.update(p).update(readFileSync(p));
	};
	inputs.forEach(walk);
	return hash.digest('hex');
}

export function buildIsCurrent(current = fingerprint()): boolean {
	return existsSync('build/index.js') && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === current;
}

export function stampBuild(current = fingerprint()): void {
	writeFileSync(stampFile, current);
}

// `tsx scripts/build-stamp.ts` stamps the build in ./build (CI, after building it).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) stampBuild();
