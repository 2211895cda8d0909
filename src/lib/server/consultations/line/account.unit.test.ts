import { describe, expect, it } from 'vitest';
import { lineAccount } from './channel';

describe('lineAccount (LINE_ACCOUNT_ID)', () => {
	it('builds the add-friend and message links from the basic ID, percent-encoding the @ and the text', () => {
		const account = lineAccount({ LINE_ACCOUNT_ID: ' @tsunagu ' });
		expect(account?.id).toBe('@tsunagu');
		expect(account?.friendUrl).toBe('https://line.me/R/ti/p/%40tsunagu');
		expect(account?.messageUrl('YOYAKU-ABCD-EFGH-JK')).toBe('https://line.me/R/oaMessage/%40tsunagu/?YOYAKU-ABCD-EFGH-JK');
		expect(account?.messageUrl('こんにちは')).toBe('https://line.me/R/oaMessage/%40tsunagu/?%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF');
	});

	it('gives no links when unset or not a basic ID (no @, a path, too long)', () => {
		for (const id of [undefined, '', 'tsunagu', '@tsu/../x', '@a b', `@${'x'.repeat(31)}`]) expect(lineAccount({ LINE_ACCOUNT_ID: id })).toBeNull();
	});
});
