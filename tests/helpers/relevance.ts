/**
 * A relevance test set: each query, run against the demo region, must have one of `anyOf` in its
 * top 5; and every expected slug must exist, so a renamed program cannot make a case pass vacuously.
 */
import { describe, expect, it } from 'vitest';

export interface RelevanceCase {
	params: Record<string, string>;
	anyOf: string[];
	why: string;
}

export function relevanceCases(name: string, cases: RelevanceCase[], options: { atLeast: number; top5: (params: Record<string, string>) => Promise<string[]>; knownSlugs: () => Iterable<string> }) {
	describe(name, () => {
		it(`has at least ${options.atLeast} queries`, () => expect(cases.length).toBeGreaterThanOrEqual(options.atLeast));
		for (const c of cases) {
			it(`${JSON.stringify(c.params)} (${c.why})`, async () => {
				const top = await options.top5(c.params);
				expect(
					top.some((slug) => c.anyOf.includes(slug)),
					`top 5 was ${top.join(', ')}`
				).toBe(true);
			});
		}
		it('every expected slug exists in the demo region', () => {
			const known = new Set(options.knownSlugs());
			for (const c of cases) for (const slug of c.anyOf) expect(known.has(slug), slug).toBe(true);
		});
	});
}
