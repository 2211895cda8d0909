/**
 * Issue 12, "zod at every boundary": a route's server file (+page.server.ts, +server.ts and
 * +layout.server.ts) reads its query string and its form fields through a zod schema (queryOf,
 * formOf, or a module's own reader such as parseFinderParams), never value by value with
 * `searchParams.get(…)` or `form.get(…)`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROUTES = join(import.meta.dirname, '../../../routes');

function serverFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return serverFiles(path);
		return /^\+((page|layout)\.)?server\.ts$/.test(entry.name) ? [path] : [];
	});
}

// A chained call may go on the next line (prettier breaks long chains).
const QUERY_BY_HAND = /searchParams\s*\.(get|getAll|has)\(/;
const FORM_BY_HAND = /(\bform|\bdata|formData\(\)\))\s*\.(get|getAll|has|entries|keys|values)\(/;
/** Fields gathered by walking the form (`[...form]`, `for (… of form)`): fields whose names carry an id go through formOf's `named`. */
const FORM_WALKED = /\[\.\.\.\s*(form|data)\b|\bof\s+(form|data)\s*\)/;

const files = serverFiles(ROUTES).map((path) => ({ name: relative(ROUTES, path), text: readFileSync(path, 'utf8') }));

describe('routes read input through zod', () => {
	it('finds the route files', () => {
		expect(files.length).toBeGreaterThan(50);
	});

	it('no route reads a query parameter by hand', () => {
		expect(files.filter((f) => QUERY_BY_HAND.test(f.text)).map((f) => f.name)).toEqual([]);
	});

	it('no route reads a form field by hand', () => {
		expect(files.filter((f) => FORM_BY_HAND.test(f.text)).map((f) => f.name)).toEqual([]);
	});

	it('no route gathers fields by walking the form', () => {
		expect(files.filter((f) => FORM_WALKED.test(f.text)).map((f) => f.name)).toEqual([]);
	});
});
