/**
 * Official hotlines shown at once when triage matches — a minimal stand-in with two lines (from
 * ../shared/ANCHORS.md); the editable list with every line replaces this file on merge.
 */
import type { TriageResult } from './triage';

export interface Hotline {
	id: string;
	name: string;
	number: string;
	hours: string;
	url: string | null;
	audience: 'everyone' | 'children' | 'emergency';
}

const HOTLINES: Hotline[] = [
	{ id: 'kokoro', name: 'こころの健康相談統一ダイヤル', number: '0570-064-556', hours: '都道府県・政令指定都市により異なります', url: 'https://www.mhlw.go.jp/mamorouyokokoro/', audience: 'everyone' },
	{ id: 'yorisoi', name: 'よりそいホットライン', number: '0120-279-338', hours: '24時間', url: 'https://www.since2011.net/yorisoi/', audience: 'everyone' }
];

export function hotlinesFor(result: TriageResult, options: { child?: boolean } = {}): Hotline[] {
	if (!result.urgent) return [];
	return HOTLINES.filter((h) => h.audience !== 'children' || options.child);
}
