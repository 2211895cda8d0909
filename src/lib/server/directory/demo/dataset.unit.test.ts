import { describe, expect, it } from 'vitest';
import { readDemoDataset } from './load';

describe('the demo dataset', () => {
	const dataset = readDemoDataset();
	it('lists each organisation once (by name as well as by slug)', () => {
		const names = dataset.map((o) => o.name);
		expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
		const slugs = dataset.map((o) => o.slug);
		expect(new Set(slugs).size).toBe(slugs.length);
	});
	it('keeps every program of an organisation that two casebooks describe', () => {
		const fb8 = dataset.find((o) => o.name === 'フードバンク八王子');
		expect(fb8?.programs.map((p) => p.slug).sort()).toEqual(['s001-fb8-food-support', 's001-fb8-getsureikai', 's004-hachioji-food-cafe', 's004-hachioji-platform']);
	});
	it('has unique program slugs', () => {
		const slugs = dataset.flatMap((o) => o.programs.map((p) => p.slug));
		expect(new Set(slugs).size).toBe(slugs.length);
	});
});
