/**
 * The import boundaries of src/lib/server (ARCHITECTURE.md, "Tooling"):
 *
 * 1. platform-not-upward: platform services (db, auth, audit, crypto, mail, log, http, boundary,
 *    jobs) never import a domain module (directory, events, participation, network, and later
 *    consultations, referrals, outcomes) nor the app layer above them (api/, staff/, present.ts).
 *    runtime.ts, the start-up code that wires the modules together, is the one platform file
 *    that imports domain modules.
 * 2. module-through-index: a module imports another module only through its index.ts.
 * 3. no-module-cycle: no cycle between module folders.
 *
 * Tests (*.test.ts, tests/) are left out: they may reach across modules to set up data.
 *
 * KNOWN lists today's violations as exact (from, to) pairs, so the check passes now and any new
 * violation fails. Each is to be removed (issue 12); remove the entry with the import. The main
 * causes: db/schema.ts re-exports every module's tables (drizzle's schema object), which makes db
 * part of most module cycles; schema files reference other modules' tables for foreign keys;
 * db/index.ts does not export tenant.ts (withAccess, asSystem); auth reads network's roles and
 * permissions and directory's organisation names; audit/query.ts joins auth's and directory's
 * tables.
 * tests/unit/boundaries.unit.test.ts runs these same rules on small trees under tests/fixtures/boundaries/.
 */

const MODULE = '^src/lib/server/([^/]+)/';
const PLATFORM = '^src/lib/server/(db|auth|audit|crypto|mail|log|http|boundary|jobs)(/|[.]ts$)';
const DOMAIN = '^src/lib/server/(directory|events|participation|network|consultations|referrals|outcomes)/';
const APP_LAYER = '^src/lib/server/(api/|staff/|present[.]ts$)';
const TEST = '[.]test[.]ts$';

/** Known violations, [from, to] as paths from the repository root. */
const KNOWN = {
	'platform-not-upward': [
		// issue 12: to remove (11)
		['src/lib/server/audit/query.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/auth/actor.ts', 'src/lib/server/network/permissions.ts'],
		['src/lib/server/auth/actor.ts', 'src/lib/server/network/schema.ts'],
		['src/lib/server/auth/guard.ts', 'src/lib/server/network/permissions.ts'],
		['src/lib/server/auth/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/auth/sessions.ts', 'src/lib/server/directory/index.ts'],
		['src/lib/server/auth/sessions.ts', 'src/lib/server/network/index.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/events/schema.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/network/schema.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/participation/schema.ts']
	],
	'module-through-index': [
		// issue 12: to remove (36)
		['src/lib/server/audit/query.ts', 'src/lib/server/auth/schema.ts'],
		['src/lib/server/audit/query.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/audit/verify.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/auth/accounts.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/auth/actor.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/auth/actor.ts', 'src/lib/server/network/permissions.ts'],
		['src/lib/server/auth/actor.ts', 'src/lib/server/network/schema.ts'],
		['src/lib/server/auth/guard.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/auth/guard.ts', 'src/lib/server/network/permissions.ts'],
		['src/lib/server/auth/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/auth/sessions.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/crypto/rotate.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/audit/schema.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/auth/schema.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/crypto/schema.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/events/schema.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/network/schema.ts'],
		['src/lib/server/db/schema.ts', 'src/lib/server/participation/schema.ts'],
		['src/lib/server/events/registrations.ts', 'src/lib/server/auth/tokens.ts'],
		['src/lib/server/events/registrations.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/events/reminders.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/events/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/network/bootstrap.ts', 'src/lib/server/auth/accounts.ts'],
		['src/lib/server/network/bootstrap.ts', 'src/lib/server/auth/schema.ts'],
		['src/lib/server/network/bootstrap.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/network/invitations.ts', 'src/lib/server/auth/accounts.ts'],
		['src/lib/server/network/invitations.ts', 'src/lib/server/auth/tokens.ts'],
		['src/lib/server/network/invitations.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/network/schema.ts', 'src/lib/server/auth/schema.ts'],
		['src/lib/server/network/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/participation/cards.ts', 'src/lib/server/auth/tokens.ts'],
		['src/lib/server/participation/cards.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/participation/figures-page.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/participation/schema.ts', 'src/lib/server/directory/schema.ts'],
		['src/lib/server/participation/schema.ts', 'src/lib/server/events/schema.ts'],
		// By design, not to remove: the guard is the one place that mints scopes, so scope/index.ts
		// does not export the constructors and the guard imports them from scope/scope.ts.
		['src/lib/server/auth/guard.ts', 'src/lib/server/scope/scope.ts'],
		// issue 12, the scope's first step: to go through the doors once db/ and auth/ export these
		['src/lib/server/scope/index.ts', 'src/lib/server/db/tx.ts'],
		['src/lib/server/scope/scope.ts', 'src/lib/server/db/tx.ts'],
		['src/lib/server/scope/scope.ts', 'src/lib/server/db/tenant.ts'],
		['src/lib/server/scope/scope.ts', 'src/lib/server/auth/actor.ts'],
		['src/lib/server/scope/scope.ts', 'src/lib/server/network/permissions.ts'],
		['src/lib/server/scope/system.ts', 'src/lib/server/db/tx.ts']
	],
	'no-module-cycle': [
		// issue 12: to remove (34)
		['src/lib/server/api', 'src/lib/server/directory'],
		['src/lib/server/audit', 'src/lib/server/api'],
		['src/lib/server/audit', 'src/lib/server/auth'],
		['src/lib/server/audit', 'src/lib/server/db'],
		['src/lib/server/audit', 'src/lib/server/directory'],
		['src/lib/server/auth', 'src/lib/server/audit'],
		['src/lib/server/auth', 'src/lib/server/crypto'],
		['src/lib/server/auth', 'src/lib/server/db'],
		['src/lib/server/auth', 'src/lib/server/directory'],
		['src/lib/server/auth', 'src/lib/server/network'],
		['src/lib/server/crypto', 'src/lib/server/db'],
		['src/lib/server/db', 'src/lib/server/audit'],
		['src/lib/server/db', 'src/lib/server/auth'],
		['src/lib/server/db', 'src/lib/server/crypto'],
		['src/lib/server/db', 'src/lib/server/directory'],
		['src/lib/server/db', 'src/lib/server/events'],
		['src/lib/server/db', 'src/lib/server/network'],
		['src/lib/server/db', 'src/lib/server/participation'],
		['src/lib/server/directory', 'src/lib/server/db'],
		// directory's staff edits (editing.ts) write their own audit records, as network's and
		// participation's operations do; audit/query.ts joins directory's tables (listed above)
		['src/lib/server/directory', 'src/lib/server/audit'],
		['src/lib/server/events', 'src/lib/server/audit'],
		['src/lib/server/events', 'src/lib/server/auth'],
		['src/lib/server/events', 'src/lib/server/crypto'],
		['src/lib/server/events', 'src/lib/server/db'],
		['src/lib/server/events', 'src/lib/server/directory'],
		['src/lib/server/network', 'src/lib/server/audit'],
		['src/lib/server/network', 'src/lib/server/auth'],
		['src/lib/server/network', 'src/lib/server/db'],
		['src/lib/server/network', 'src/lib/server/directory'],
		['src/lib/server/participation', 'src/lib/server/audit'],
		['src/lib/server/participation', 'src/lib/server/auth'],
		['src/lib/server/participation', 'src/lib/server/db'],
		['src/lib/server/participation', 'src/lib/server/directory'],
		['src/lib/server/participation', 'src/lib/server/events'],
		// issue 12, the scope's first step: the guard (auth) mints scopes, and scopes read the actor
		// (auth) and the permission table (network); to go when permissions move below both
		['src/lib/server/auth', 'src/lib/server/scope'],
		['src/lib/server/directory', 'src/lib/server/scope'],
		['src/lib/server/network', 'src/lib/server/scope'],
		['src/lib/server/participation', 'src/lib/server/scope'],
		['src/lib/server/scope', 'src/lib/server/audit'],
		['src/lib/server/scope', 'src/lib/server/auth'],
		['src/lib/server/scope', 'src/lib/server/db'],
		['src/lib/server/scope', 'src/lib/server/network']
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
		comment: `${rule.comment} (known exceptions of ${from}: issue 12, to remove)`,
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
		// $lib comes from the paths SvelteKit writes to .svelte-kit/tsconfig.json (npx svelte-kit sync).
		tsConfig: { fileName: 'tsconfig.json' },
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types'],
			extensions: ['.ts', '.js', '.svelte', '.json'],
			mainFields: ['module', 'main', 'types']
		},
		reporterOptions: { text: { highlightFocused: true } }
	}
};
