/**
 * Derives src/lib/server/directory/search/thesaurus.json from the installed
 * sudachi-synonyms-dictionary package (see thesaurus.ts for what is kept and why).
 * Run after updating the package: `npm run build:thesaurus`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deriveThesaurus, type SudachiGroup } from '../src/lib/server/directory/search/thesaurus';

export const thesaurusFile = 'src/lib/server/directory/search/thesaurus.json';

const require = createRequire(import.meta.url);

/** The package's name and version, and its groups. */
export async function readSudachi(): Promise<{ source: string; groups: SudachiGroup[] }> {
	// The package exports only its entry point, so its package.json is read beside it.
	const entry = require.resolve('sudachi-synonyms-dictionary');
	const { version } = JSON.parse(readFileSync(path.join(path.dirname(entry), 'package.json'), 'utf8')) as { version: string };
	const { fetchDictionary } = require('sudachi-synonyms-dictionary') as { fetchDictionary(): Promise<SudachiGroup[]> };
	return { source: `sudachi-synonyms-dictionary@${version}`, groups: await fetchDictionary() };
}

/** The file's text: one group per line, so that an update of the dictionary diffs line by line. */
export function thesaurusText(source: string, groups: string[]): string {
	const licence = 'SudachiDict synonyms (c) Works Applications Co., Ltd., Apache License 2.0; see NOTICE. Derived by scripts/build-thesaurus.ts.';
	return `{\n  "source": ${JSON.stringify(source)},\n  "licence": ${JSON.stringify(licence)},\n  "groups": [\n${groups.map((g) => '    ' + JSON.stringify(g)).join(',\n')}\n  ]\n}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const { source, groups } = await readSudachi();
	const derived = deriveThesaurus(groups);
	writeFileSync(thesaurusFile, thesaurusText(source, derived));
	console.log(`${thesaurusFile}: ${derived.length} groups from ${source}`);
}
