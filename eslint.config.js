// ESLint flat config: the recommended sets of ESLint, typescript-eslint (syntax only, no type
// information, to stay fast: `npm run check` does the type checking) and eslint-plugin-svelte
// (with the TypeScript parser inside <script lang="ts">). Formatting is Prettier's job.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		// Build outputs, generated files and local data.
		ignores: ['build/', '.svelte-kit/', '.test-build/', '.ci-build/', '.bench-build/', 'bench/out/', 'data/', 'scratch/', 'backups/', 'test-results/', 'drizzle/', 'src/lib/paraglide/']
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		// Server code, scripts and tests run on Node; components run in both.
		languageOptions: { globals: { ...globals.node, ...globals.browser } },
		linterOptions: { reportUnusedDisableDirectives: 'error' }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig }
		}
	},
	{
		rules: {
			// The app is served at the root (no kit.paths.base) and links are plain paths built on the
			// server; wrapping every href in resolve() would add noise and nothing else.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		// These render QR codes: SVG strings made on the server by `qrcode` from our own ids, no user text.
		files: ['src/routes/account/2fa/+page.svelte', 'src/routes/card/*/+page.svelte', 'src/routes/registrations/*/+page.svelte'],
		rules: { 'svelte/no-at-html-tags': 'off' }
	},
	{
		// Table-driven tests name every callback parameter of a row, used or not, so rows read alike.
		files: ['tests/**', '**/*.test.ts'],
		rules: { '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }] }
	}
);
