/** Feelings and life events → the needs programs describe (needs.json). */
import needData from './needs.json';
import type { Token } from './analyser';

export interface Need {
	need: string;
	when: string[][];
	with: Set<string>;
	terms: string[];
	/** Kinds of program (taxonomy form codes) that may help, offered when the words find nothing. */
	forms: string[];
}

export const needs: Need[] = needData.needs.map((n) => ({
	need: n.need,
	when: n.when.map((w) => w.split(' ')),
	with: new Set(n.with),
	terms: n.terms,
	forms: n.forms
}));

/** The kinds of program that may help with the named needs, in the needs' order, each once. */
export function formsForNeeds(names: string[]): string[] {
	return [...new Set(needs.filter((n) => names.includes(n.need)).flatMap((n) => n.forms))];
}

/** The needs a word's tokens express, and the base forms they account for. */
export function matchNeeds(tokens: Token[]): { needs: Need[]; consumed: Set<string> } {
	const forms = new Set(tokens.flatMap((t) => [t.base, t.surface]));
	const joined = tokens.map((t) => t.surface).join('');
	const found: Need[] = [];
	const consumed = new Set<string>();
	for (const need of needs) {
		const hit = need.when.find((trigger) => trigger.every((f) => forms.has(f) || (trigger.length === 1 && f.length > 1 && joined.includes(f))));
		if (!hit) continue;
		found.push(need);
		for (const f of hit) consumed.add(f);
		for (const f of need.with) consumed.add(f);
	}
	return { needs: found, consumed };
}

/** Whether a word, exactly, is one of the needs' single-word triggers (さみしい, 定年). */
export function needsOfWord(word: string): Need[] {
	return needs.filter((n) => n.when.some((t) => t.length === 1 && t[0] === word));
}
