// The import-boundary rules of .dependency-cruiser.cjs, run on two small trees: a clean one passes,
// one with a new violation of each rule fails on exactly those. No database needed.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult, type IFlattenedRuleSet } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
type Known = Record<string, Array<[string, string]>>;
const config = require('../../.dependency-cruiser.cjs') as IFlattenedRuleSet & {
	options: Record<string, unknown> & { exclude: { path: string[] } };
	known: Known;
	layers: { platform: string; domain: string; app: string };
	boundaryRules: (known: Known) => IFlattenedRuleSet['forbidden'];
};
const fixtures = path.resolve('tests/fixtures/boundaries');
const resolve = (require('../../.dependency-cruiser.resolve.cjs') as { resolve: Record<string, unknown> }).resolve;

async function violations(tree: string) {
	const { output } = await cruise(['src'], {
		baseDir: path.join(fixtures, tree),
		validate: true,
		ruleSet: { forbidden: config.forbidden },
		exclude: config.options.exclude,
		doNotFollow: { path: 'node_modules' },
		tsPreCompilationDeps: true
	});
	const result = output as ICruiseResult;
	return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('import boundaries', () => {
	it('finds nothing in a tree that keeps them', async () => {
		expect(await violations('clean')).toEqual([]);
	});

	it('reports an upward import, a deep import past index.ts (from a module and from a route), the cycles they make and a scope minted outside auth', async () => {
		expect(await violations('violations')).toEqual([
			'door-only: src/routes/notes.server.ts → src/lib/server/consultations/notes.ts',
			'module-through-index: src/lib/server/referrals/handoff.ts → src/lib/server/consultations/notes.ts',
			'no-module-cycle: src/lib/server/consultations → src/lib/server/mail',
			'no-module-cycle: src/lib/server/consultations → src/lib/server/referrals',
			'no-module-cycle: src/lib/server/mail → src/lib/server/consultations',
			'no-module-cycle: src/lib/server/referrals → src/lib/server/consultations',
			'platform-not-upward: src/lib/server/cache/index.ts → src/lib/server/referrals/index.ts',
			'platform-not-upward: src/lib/server/mail/send.ts → src/lib/server/consultations/index.ts',
			'scope-minted-by-auth: src/routes/page.server.ts → src/lib/server/scope/scope.ts'
		]);
	});
});

describe('the known exceptions', () => {
	// An exception whose import is gone would silently allow that import to come back: each listed
	// pair must still be a violation of the rules without exceptions.
	it('lists only imports that still exist', async () => {
		// The command line reads $lib from options.webpackConfig; the API takes it as resolve options.
		const { output } = await cruise(['src'], { ...config.options, validate: true, ruleSet: { forbidden: config.boundaryRules({}) } } as never, resolve);
		const found = new Set((output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`));
		const stale = Object.entries(config.known).flatMap(([rule, pairs]) => pairs.map(([from, to]) => `${rule}: ${from} → ${to}`).filter((entry) => !found.has(entry)));
		expect(stale).toEqual([]);
	}, 60_000);
});

describe('the layers', () => {
	// The rules name each layer by its folders and files: one the lists leave out is in no layer, so a
	// platform service could import it (and, through it, the domain modules it imports) unnoticed.
	it('place every folder and file of src/lib/server in exactly one', () => {
		const patterns = Object.values(config.layers).map((pattern) => new RegExp(pattern));
		const entries = readdirSync('src/lib/server', { withFileTypes: true })
			.filter((entry) => !/[.]test[.]ts$/.test(entry.name))
			.map((entry) => `src/lib/server/${entry.name}${entry.isDirectory() ? '/index.ts' : ''}`);
		expect(entries.filter((entry) => patterns.filter((pattern) => pattern.test(entry)).length !== 1)).toEqual([]);
	});
});
