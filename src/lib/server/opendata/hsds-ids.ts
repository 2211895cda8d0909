/**
 * Stable identifiers for HSDS records that tsunagu keeps as values rather than rows (a program's
 * languages, its cost, its taxonomy terms, a program-at-a-place): UUID version 5 (RFC 9562) of a
 * name under tsunagu's namespace, so the same fact has the same id in every answer and export.
 */
import { createHash } from 'node:crypto';

/** tsunagu's HSDS namespace (a fixed random UUID; changing it changes every derived id). */
const NAMESPACE = '5d0f6a52-3c1e-4b7e-9a43-2f3b8c1d7e90';

function bytesOf(uuid: string): Buffer {
	return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

/** UUID v5 of `name` (its parts joined by ':') under tsunagu's namespace. */
export function hsdsId(...name: string[]): string {
	const hash = createHash('sha1').update(bytesOf(NAMESPACE)).update(name.join(':'), 'utf8').digest();
	const b = hash.subarray(0, 16);
	b[6] = (b[6] & 0x0f) | 0x50;
	b[8] = (b[8] & 0x3f) | 0x80;
	const hex = b.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
