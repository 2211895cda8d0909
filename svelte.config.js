import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// The test suite builds its own copy elsewhere (tests/setup/build.ts), beside a running app.
		adapter: adapter({ out: process.env.TSUNAGU_BUILD_OUT || 'build' }),
		outDir: process.env.TSUNAGU_KIT_OUT || '.svelte-kit',
		// adapter-node assumes https unless ORIGIN/PROTOCOL_HEADER are set, which makes SvelteKit's own
		// origin check refuse every form post on plain http (a local or LAN install). The same check
		// is done in hooks.server.ts against the Host header instead (see isCrossSiteFormPost).
		csrf: { trustedOrigins: ['*'] },
		csp: {
			// Public pages render without script; SvelteKit adds hashes for its own hydration code.
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Styles come from the built CSS files only: no component uses style= or style:. The one
				// inline style left is SvelteKit's own screen-reader announcer (client-side navigation),
				// allowed by its hash alone (tests/e2e/csp.test.ts watches for violations).
				'style-src': ['self'],
				'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
				'img-src': ['self', 'data:'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'object-src': ['none']
			}
		}
	}
};

export default config;
