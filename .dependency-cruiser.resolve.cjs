/**
 * SvelteKit's `$lib` for dependency-cruiser (.dependency-cruiser.cjs, `webpackConfig`). The paths
 * SvelteKit writes to .svelte-kit/tsconfig.json have no baseUrl, which dependency-cruiser's
 * tsconfig reader does not resolve: without this, every `$lib/…` import (all of the routes' and
 * components') was left unresolved and outside the rules.
 */
module.exports = { resolve: { alias: { $lib: `${__dirname}/src/lib` } } };
