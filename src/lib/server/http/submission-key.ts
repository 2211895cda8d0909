/**
 * One-time submission keys in pages kept as HTML by the public cache.
 *
 * A registration form carries a key of its own rendering, so the same submission sent twice
 * registers once (events' `register`). A page the public cache keeps is rendered once for many
 * visitors, so its load puts this process's slot where the key goes, and every response of it —
 * fresh or from the cache — fills the slot with a new key. The slot is random per process, so
 * nothing a page shows (an organisation's text) can contain it by chance or on purpose, and its
 * `~` is outside the keys' alphabet: a slot left unfilled by mistake is refused as an expired form,
 * never taken as a key that every visitor shares.
 */
import { randomBytes } from 'node:crypto';

export const SUBMISSION_KEY_SLOT = `slot~${randomBytes(16).toString('hex')}`;

/** A new key: 24 URL-safe characters, the form the registration schema accepts. */
export const newSubmissionKey = () => randomBytes(18).toString('base64url');

/** The page with every slot filled by one new key (the form's input and the hydration data alike). */
export function fillSubmissionKeys(html: string): string {
	return html.includes(SUBMISSION_KEY_SLOT) ? html.replaceAll(SUBMISSION_KEY_SLOT, newSubmissionKey()) : html;
}
