/**
 * `npm start`: build the app if the sources changed since the last build, then serve it.
 * The server itself opens the database (embedded by default), migrates, and loads the demo
 * region into an empty database (see src/lib/server/runtime.ts).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildIsCurrent, fingerprint, stampBuild } from './build-stamp';
import { decideOrigin } from './origin';
import { serve } from './serve';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

process.env.PORT ??= '3000';
// adapter-node takes the public address from ORIGIN and assumes https without it. A plain local
// start is http: say so, or the session cookie would be Secure-only and never sent back. Behind
// an HTTPS proxy, set ORIGIN=https://… (cookies become __Host-/Secure and HSTS is sent).
const origin = decideOrigin(process.env);
if (!origin.ok) {
	console.error(`tsunagu: not starting. ${origin.message}`);
	process.exit(1);
}
if (origin.warning) console.warn(`tsunagu: ${origin.warning}`);
process.env.ORIGIN = origin.origin;

const current = fingerprint();
if (!buildIsCurrent(current)) {
	console.log('tsunagu: building the app (first start or changed sources)…');
	execFileSync(process.execPath, [path.join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	stampBuild(current);
}

await serve(path.join(root, 'build'));
console.log(`tsunagu: the finder is ready at http://localhost:${process.env.PORT}`);
