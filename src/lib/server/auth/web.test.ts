import { describe, expect, it } from 'vitest';
import { safeNext } from './web';

describe('safeNext (where to go after login)', () => {
	it('keeps paths on this site', () => {
		expect(safeNext('/staff/orgs/1?tab=a')).toBe('/staff/orgs/1?tab=a');
	});
	it.each(['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)', '', null, '/' + 'a'.repeat(600)])('refuses %s', (value) => {
		expect(safeNext(value)).toBe('/staff');
	});
});
