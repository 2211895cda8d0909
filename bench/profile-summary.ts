/**
 * What the benches that profile the server share (bench/pages.ts, bench/api-profile.ts): asking
 * the preloaded profiler (bench/profiler.ts) to start and stop, and summarising a .cpuprofile as
 * CPU ms per request and the top self-time functions and modules.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount?: number;
}
export interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/** Where a function lives, shortened: a package, a chunk of the build, or node's own. */
export function moduleOf(url: string): string {
	if (!url) return '(native / V8)';
	const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
	if (pkg) return pkg[1];
	if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
	const build = /\/(server\/(?:chunks\/|entries\/)?.*)$/.exec(url);
	if (build) return 'app ' + build[1].replace(/^server\//, '');
	return path.relative(root, url.replace(/^file:\/\//, ''));
}

/**
 * The nodes under the profiler's own calls (node:inspector's `post`, which dispatches
 * Profiler.start): starting the profiler in a server that has loaded the whole build through tsx
 * takes about a second of the main thread (native `dispatch`, 45–59 % of a 4 s window on
 * 2026-12-03), which is not the requests' work.
 */
export function profilerNodes(profile: CpuProfile): Set<number> {
	const children = new Map<number, number[]>();
	for (const n of profile.nodes as Array<ProfileNode & { children?: number[] }>) children.set(n.id, n.children ?? []);
	const out = new Set<number>();
	const mark = (id: number) => {
		if (out.has(id)) return;
		out.add(id);
		for (const c of children.get(id) ?? []) mark(c);
	};
	for (const n of profile.nodes) if (n.callFrame.functionName === 'post' && n.callFrame.url === 'node:inspector') mark(n.id);
	return out;
}

/** CPU ms per request (non-idle samples over `requests`) and the `top` functions and modules by self time. */
export function summarise(profile: CpuProfile, requests: number, top: number): { cpuMsPerRequest: number; functions: string[]; modules: string[] } {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map<number, number>();
	const profiler = profilerNodes(profile);
	profile.samples.forEach((id, i) => profiler.has(id) || self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
	let busy = 0;
	const fn = new Map<string, number>();
	const mod = new Map<string, number>();
	for (const [id, us] of self) {
		const node = byId.get(id)!;
		const name = node.callFrame.functionName || '(anonymous)';
		if (name === '(idle)') continue;
		busy += us;
		const where = node.callFrame.url ? `${moduleOf(node.callFrame.url)}:${node.callFrame.lineNumber + 1}` : '';
		const key = where ? `${name} (${where})` : name;
		fn.set(key, (fn.get(key) ?? 0) + us);
		const m = node.callFrame.url ? moduleOf(node.callFrame.url) : name.startsWith('(') ? name : '(native / V8)';
		mod.set(m, (mod.get(m) ?? 0) + us);
	}
	const rank = (m: Map<string, number>) =>
		[...m]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([k, us]) => `${((us / busy) * 100).toFixed(1)} % ${k}`);
	return { cpuMsPerRequest: busy / 1000 / Math.max(1, requests), functions: rank(fn), modules: rank(mod) };
}

/** Send the profiler a message and wait for its reply (a message holding `reply`). */
export function ask(child: ChildProcess, message: object, reply: string): Promise<void> {
	return new Promise((resolve) => {
		const on = (m: Record<string, unknown>) => {
			if (m && reply in m) {
				child.off('message', on);
				resolve();
			}
		};
		child.on('message', on);
		child.send(message);
	});
}
