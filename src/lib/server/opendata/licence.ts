/**
 * The licence of the published directory: CC BY 4.0, so a city's open-data portal can catalogue
 * it and anyone may reuse it with credit. Stated on /opendata, on the site's footer, in the
 * downloads and in the API documents.
 */
export const DIRECTORY_LICENCE = {
	name: 'CC BY 4.0',
	title: 'クリエイティブ・コモンズ 表示 4.0 国際',
	url: 'https://creativecommons.org/licenses/by/4.0/deed.ja',
	identifier: 'CC-BY-4.0'
} as const;
