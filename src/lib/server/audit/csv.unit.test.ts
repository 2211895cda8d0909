import { describe, expect, it } from 'vitest';
import { auditEventsCsv, csvCell, AUDIT_CSV_COLUMNS } from './csv';
import type { AuditEventView } from './query';

const row = (over: Partial<AuditEventView> = {}): AuditEventView => ({
	id: 12,
	at: new Date('2025-04-01T00:00:00.123Z'),
	atTokyo: '2025-04-01T09:00:00.123456+09:00',
	actorUserId: '11111111-1111-4111-8111-111111111111',
	actorName: '山田 花子',
	organizationId: '22222222-2222-4222-8222-222222222222',
	organizationName: 'NPO法人 つなぐ',
	action: 'member.role_change',
	entityType: 'membership',
	entityId: 'abc',
	changedFields: ['role', 'display_name'],
	ip: '192.0.2.1',
	userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)',
	requestId: 'r-1',
	prevHash: '0'.repeat(64),
	hash: 'a'.repeat(64),
	...over
});

describe('csvCell', () => {
	it.each([
		['plain', 'plain'],
		['with, comma', '"with, comma"'],
		['say "hi"', '"say ""hi"""'],
		['two\nlines', '"two\nlines"'],
		['cr\rlf', '"cr\rlf"'],
		['日本語', '日本語'],
		['', ''],
		[null, ''],
		[undefined, ''],
		[42, '42']
	])('%j → %j', (value, expected) => {
		expect(csvCell(value)).toBe(expected);
	});

	it.each([
		['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
		['+81 90', "'+81 90"],
		['-1+2', "'-1+2"],
		['@SUM(A1)', "'@SUM(A1)"],
		['\t=1', "'\t=1"],
		['\r=1', `"'\r=1"`],
		['a=1', 'a=1']
	])('neutralises the formula %j', (value, expected) => {
		expect(csvCell(value)).toBe(expected);
	});
});

describe('auditEventsCsv', () => {
	it('starts with a BOM and a header row, ends lines with CRLF', () => {
		const csv = auditEventsCsv([row()]);
		expect(csv.startsWith('\uFEFFid,at,actor_user_id,actor_name,')).toBe(true);
		const lines = csv.slice(1).split('\r\n');
		expect(lines).toHaveLength(3);
		expect(lines[2]).toBe('');
		expect(lines[0].split(',')).toEqual([...AUDIT_CSV_COLUMNS]);
		expect(lines[1]).toBe(
			`12,2025-04-01T09:00:00.123456+09:00,11111111-1111-4111-8111-111111111111,山田 花子,22222222-2222-4222-8222-222222222222,NPO法人 つなぐ,member.role_change,membership,abc,role display_name,192.0.2.1,Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X),r-1,${'0'.repeat(64)},${'a'.repeat(64)}`
		);
	});

	it('uses the given labels for the header and leaves absent values empty', () => {
		const csv = auditEventsCsv([row({ actorUserId: null, actorName: null, organizationId: null, organizationName: null, entityType: null, entityId: null, changedFields: [], ip: null, userAgent: null, requestId: null })], {
			id: '記録番号',
			at: '日時, 日本時間'
		});
		const [header, line] = csv.slice(1).split('\r\n');
		expect(header.startsWith('記録番号,"日時, 日本時間",actor_user_id')).toBe(true);
		expect(line).toBe(`12,2025-04-01T09:00:00.123456+09:00,,,,,member.role_change,,,,,,,${'0'.repeat(64)},${'a'.repeat(64)}`);
	});

	it('keeps hostile client text inside its cell', () => {
		const csv = auditEventsCsv([row({ userAgent: '=cmd|"/c calc"!A1\r\nnext,line', entityId: '-2+3' })]);
		const body = csv.slice(1).split('\r\n').slice(1).join('\r\n');
		expect(body).toContain(`"'=cmd|""/c calc""!A1\r\nnext,line"`);
		expect(body).toContain(",'-2+3,");
	});
});
