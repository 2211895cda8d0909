/**
 * The import boundaries of src/lib/server (ARCHITECTURE.md, "Tooling"):
 *
 * 1. platform-not-upward: platform services (db, auth, audit, crypto, mail, log, http, boundary,
 *    jobs, scope, cache, clock) never import a domain module (directory, events, participation,
 *    network, consultations, consent, referrals, conferences, imports, opendata, later outcomes)
 *    nor the app layer above them (api/, staff/, runtime/, present.ts, standing.ts).
 *    runtime/, the start-up code and timers that wire the modules together, is app layer too:
 *    it imports domain modules, and no platform service imports it; so is standing.ts, which
 *    gives auth the memberships and names it reads from network and directory.
 *    Every folder and file of src/lib/server is in exactly one layer (boundaries.unit.test.ts).
 * 2. module-through-index: a module imports another module only through its index.ts; and
 *    door-only: routes, components and src/lib/server's single files (present.ts, standing.ts, …)
 *    reach a domain module only through its index.ts too.
 * 3. no-module-cycle: no cycle between module folders.
 * 4. scope-minted-by-auth: the scope's constructors (scope/scope.ts) are imported only by scope/
 *    itself and by auth's guard and accounts, the code that decides who may act — not by a route,
 *    a module or the app layer.
 *
 * Tests (*.test.ts, tests/) are left out: they may reach across modules to set up data.
 *
 * KNOWN lists the exceptions as exact (from, to) pairs, each with its reason, so any other
 * violation fails. All that are left are by design: schema files name the table a foreign key
 * points at (drizzle needs the table object), and the scope's constructors, which only auth may
 * call, are imported from scope/scope.ts rather than its door. Remove an entry with its import —
 * a stale entry fails tests/unit/boundaries.unit.test.ts, which also runs these rules on the small
 * trees under tests/fixtures/boundaries/.
 */

const MODULE = '^src/lib/server/([^/]+)/';
const PLATFORM = '^src/lib/server/(db|auth|audit|crypto|mail|log|http|boundary|jobs|scope|cache|clock)(/|[.]ts$)';
const DOMAIN = '^src/lib/server/(directory|events|participation|network|consultations|consent|referrals|conferences|outcomes|imports|opendata)/';
const APP_LAYER = '^src/lib/server/(api/|staff/|runtime/|present[.]ts$|standing[.]ts$)';
const TEST = '[.]test[.]ts$';

/** Known violations, [from, to] as paths from the repository root. */
const KNOWN = {
	'platform-not-upward': [],
	'module-through-index': [
		// Foreign keys between modules' schemas, by design.
		['src/lib/server/events/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/network/schema.ts', 'src/lib/server/auth/schema.ts'],
		['src/lib/server/network/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/participation/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/participation/schema.ts', 'src/lib/server/events/schema.ts'],
		// By design, not to remove: the guard is the one place that mints scopes, so scope/index.ts
		// does not export the constructors and the guard imports them from scope/scope.ts.
		['src/lib/server/auth/guard.ts', 'src/lib/server/scope/scope.ts'],
		// By design, the same: auth's accounts module mints the account scope of a person it has
		// identified without a session (a reset link, the session waiting for its second factor).
		['src/lib/server/auth/accounts.ts', 'src/lib/server/scope/scope.ts'],
		// Foreign keys (events, participation, network and consultations schemas above and here):
		// drizzle names the referenced table object, so a schema imports the schema it points at.
		['src/lib/server/consultations/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/consent/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/referrals/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/referrals/schema.ts', 'src/lib/server/consent/schema.ts'],
		['src/lib/server/conferences/schema.ts', 'src/lib/server/directory/schema.ts'],
		// Spreadsheet imports (issue 16): a pending import names its organisation and its author.
		['src/lib/server/imports/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/imports/schema.ts', 'src/lib/server/auth/schema.ts'],
		// Open-data settings (issue 17) name the secretariat member who last changed them.
		['src/lib/server/opendata/schema.ts', 'src/lib/server/auth/schema.ts']
	],
	'door-only': [
		// pdfkit, the fonts' paths and qrcode for the two PDF routes only, not for every importer
		// of the events door.
		['src/routes/calendar/print.pdf/+server.ts', 'src/lib/server/events/print.ts'],
		['src/routes/programs/[id]/flyer.pdf/+server.ts', 'src/lib/server/events/print.ts']
	],
	'no-module-cycle': [
		// By design: the guard (auth) mints scopes, and a scope carries auth's actor and the
		// permission checked, so auth and scope know each other.
		['src/lib/server/auth', 'src/lib/server/scope'],
		['src/lib/server/scope', 'src/lib/server/auth']
	]
};

const escape = (path) => '^' + path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';

/**
 * One rule per boundary, minus the known exceptions; a file with known exceptions gets a rule of
 * its own that allows exactly its listed targets, so a new import from that file still fails.
 */
function withExceptions(rule, known) {
	const byFrom = new Map();
	for (const [from, to] of known) byFrom.set(from, [...(byFrom.get(from) ?? []), to]);
	if (byFrom.size === 0) return [rule];
	const list = (value) => (value === undefined ? [] : [value].flat());
	const main = { ...rule, from: { ...rule.from, pathNot: [...list(rule.from.pathNot), ...[...byFrom.keys()].map(escape)] } };
	const perFile = [...byFrom].map(([from, targets]) => ({
		...rule,
		comment: `${rule.comment} (known exceptions of ${from}: see KNOWN)`,
		// The module folder stays a group, for rules whose `to` refers to it as $1.
		from: { ...rule.from, path: escape(from).replace(/^\^src\/lib\/server\/([^/]+)\//, '^src/lib/server/($1)/') },
		to: { ...rule.to, pathNot: [...list(rule.to.pathNot), ...targets.map(escape)] }
	}));
	return [main, ...perFile];
}

function boundaryRules(known = KNOWN) {
	return [
		...withExceptions(
			{
				name: 'platform-not-upward',
				severity: 'error',
				comment: 'A platform service imports no domain module and nothing of the app layer.',
				from: { path: PLATFORM },
				to: { path: [DOMAIN, APP_LAYER] }
			},
			known['platform-not-upward'] ?? []
		),
		...withExceptions(
			{
				name: 'module-through-index',
				severity: 'error',
				comment: "A module imports another module only through that module's index.ts.",
				from: { path: MODULE },
				to: { path: MODULE, pathNot: ['^src/lib/server/$1/', '^src/lib/server/[^/]+/index[.]ts$'] }
			},
			known['module-through-index'] ?? []
		),
		...withExceptions(
			{
				name: 'door-only',
				severity: 'error',
				comment: "Routes, components and src/lib/server's single files reach a domain module only through its index.ts.",
				from: { path: '^src/(routes/|lib/components/|lib/server/[^/]+[.]ts$)' },
				to: { path: DOMAIN, pathNot: '^src/lib/server/[^/]+/index[.]ts$' }
			},
			known['door-only'] ?? []
		),
		{
			name: 'scope-minted-by-auth',
			severity: 'error',
			comment: "Only scope/, auth's guard and auth's accounts import the scope's constructors (scope/scope.ts).",
			from: { pathNot: ['^src/lib/server/scope/', '^src/lib/server/auth/guard[.]ts$', '^src/lib/server/auth/accounts[.]ts$'] },
			to: { path: '^src/lib/server/scope/scope[.]ts$' }
		},
		...withExceptions(
			{
				name: 'no-module-cycle',
				severity: 'error',
				comment: 'No cycle between module folders.',
				scope: 'folder',
				from: { path: '^src/lib/server/[^/]+$' },
				to: { path: '^src/lib/server/[^/]+$', circular: true }
			},
			known['no-module-cycle'] ?? []
		)
	];
}

module.exports = {
	forbidden: boundaryRules(),
	options: {
		doNotFollow: { path: 'node_modules' },
		// The boundaries are the app's: tests may reach across modules to set up data.
		exclude: { path: ['^[.]svelte-kit/', TEST, '^tests/'] },
		// Type-only imports count: they couple modules too.
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		// $lib: SvelteKit's paths in .svelte-kit/tsconfig.json are not resolved from tsConfig alone.
		webpackConfig: { fileName: '.dependency-cruiser.resolve.cjs' },
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types'],
			extensions: ['.ts', '.js', '.svelte', '.json'],
			mainFields: ['module', 'main', 'types']
		},
		reporterOptions: { text: { highlightFocused: true } }
	}
};

// For tests/unit/boundaries.unit.test.ts (not enumerable, so dependency-cruiser's own config check
// does not see them): the known exceptions, the rules built from any list of them, and the layers.
Object.defineProperty(module.exports, 'known', { value: KNOWN });
Object.defineProperty(module.exports, 'boundaryRules', { value: boundaryRules });
Object.defineProperty(module.exports, 'layers', { value: { platform: PLATFORM, domain: DOMAIN, app: APP_LAYER } });
