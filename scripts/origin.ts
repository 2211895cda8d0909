/**
 * The public address links, QR codes and calendar feeds are built from (ORIGIN). Without it a
 * start falls back to http://localhost:PORT, right for a demo on one's own computer, but a
 * deployment that forgot it would print flyers whose QR codes point at localhost. So a production
 * start that others can reach refuses to run without it.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export type OriginDecision = { ok: true; origin: string; warning: string | null } | { ok: false; message: string };

export function decideOrigin(env: Record<string, string | undefined>): OriginDecision {
	const port = env.PORT || '3000';
	const host = env.HOST || '0.0.0.0';
	if (env.ORIGIN) {
		try {
			const url = new URL(env.ORIGIN);
			if ((url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/' && !url.search) return { ok: true, origin: url.origin, warning: null };
		} catch {
			// reported below
		}
		return { ok: false, message: `ORIGIN must be the site's public address, such as https://tsunagu.example.jp (no path); it is "${env.ORIGIN}".` };
	}
	const fallback = `http://localhost:${port}`;
	if (LOOPBACK.has(host)) return { ok: true, origin: fallback, warning: null };
	if (env.NODE_ENV === 'production')
		return {
			ok: false,
			message: `ORIGIN is not set, and the server would listen on ${host}, where others can reach it. Links, QR codes on flyers and calendar feeds are built from ORIGIN: set it to the public address (ORIGIN=https://…), or set HOST=127.0.0.1 to serve this computer only.`
		};
	return { ok: true, origin: fallback, warning: `ORIGIN is not set: links and QR codes point at ${fallback}, which works on this computer only. Set ORIGIN=https://… before others use this server.` };
}
