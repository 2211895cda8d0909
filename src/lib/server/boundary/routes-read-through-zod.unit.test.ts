/**
 * Issue 12, "zod at every boundary": a route's server file reads its query string and its form
 * fields through a zod schema (queryOf, formOf, or a module's own reader such as
 * parseFinderParams), never value by value with `searchParams.get(…)` or `form.get(…)`.
 * RAW_FORMS lists the files that still read form fields by hand; it may only shrink.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROUTES = join(import.meta.dirname, '../../../routes');

/**
 * Form fields still read one by one: the consultation record's `urgent` checkbox (absent and empty
 * differ for staffEntryInput), a consent form echoed back whole, the tap form (tapForm is a pipe,
 * absent fields take its defaults). Each then goes through a zod schema.
 */
const RAW_FORMS = new Set<string>(['staff/orgs/[orgId]/consultations/+page.server.ts', 'staff/orgs/[orgId]/consultations/[threadId]/+page.server.ts', 'staff/orgs/[orgId]/count/+page.server.ts']);

function serverFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return serverFiles(path);
		return /^\+(page\.)?server\.ts$/.test(entry.name) ? [path] : [];
	});
}

const QUERY_BY_HAND = /searchParams\.(get|getAll|has)\(/;
const FORM_BY_HAND = /(\bform|\bdata|formData\(\)\))\.(get|getAll|has)\(/;

const files = serverFiles(ROUTES).map((path) => ({ name: relative(ROUTES, path), text: readFileSync(path, 'utf8') }));

describe('routes read input through zod', () => {
	it('finds the route files', () => {
		expect(files.length).toBeGreaterThan(50);
	});

	it('no route reads a query parameter by hand', () => {
		expect(files.filter((f) => QUERY_BY_HAND.test(f.text)).map((f) => f.name)).toEqual([]);
	});

	it('no route reads a form field by hand, but the listed ones (and the list stays true)', () => {
		const raw = files.filter((f) => FORM_BY_HAND.test(f.text)).map((f) => f.name);
		expect(raw.filter((name) => !RAW_FORMS.has(name))).toEqual([]);
		expect([...RAW_FORMS].filter((name) => !raw.includes(name))).toEqual([]);
	});
});
