import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DAY_RANGE, dayInRange, fieldErrors, formOf, named, sentFields, isDayInRange, notice, queryOf, refusalOf, sameSiteTarget, SIGNED_BODY_ENDPOINTS, spaceForControlCharacters, UUID, uuid } from '.';

describe('sameSiteTarget (redirects named by the request)', () => {
	it.each([
		['/staff/orgs/1?tab=a', '/staff/orgs/1?tab=a'],
		['/あ', '/%E3%81%82'],
		['/search?q=こども食堂#x', '/search?q=%E3%81%93%E3%81%A9%E3%82%82%E9%A3%9F%E5%A0%82#x'],
		['/a b', '/a%20b']
	])('keeps %j as %j', (value, expected) => {
		expect(sameSiteTarget(value, '/fallback')).toBe(expected);
	});
	it.each(['/\t/evil.example/phish', '/\n/evil.example', '/\r\n/evil.example', '/\u0000', '//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', null, 42, '/' + 'a'.repeat(600)])('refuses %j', (value) => {
		expect(sameSiteTarget(value, '/fallback')).toBe('/fallback');
	});
});

describe('the day range', () => {
	it('accepts real days within the range, refuses the rest', () => {
		expect(isDayInRange(DAY_RANGE.first)).toBe(true);
		expect(isDayInRange(DAY_RANGE.last)).toBe(true);
		expect(isDayInRange('2026-02-28')).toBe(true);
		for (const bad of ['1999-12-31', '2101-01-01', '9999-12-31', '0000-01-01', '2026-02-30', '2026-13-01', '2026-1-01', ' 2026-01-01']) expect(isDayInRange(bad), bad).toBe(false);
		expect(dayInRange.safeParse('9999-12-01').success).toBe(false);
	});
});

describe('refusalOf (input refused before any route runs)', () => {
	const url = (q = '') => new URL(`http://127.0.0.1/x${q}`);
	const post = (type: string | null, body: BodyInit) => new Request('http://127.0.0.1/x', { method: 'POST', headers: type ? { 'content-type': type } : {}, body });

	it('refuses a query parameter that is not UTF-8 (a Shift_JIS link searched for 「��」 and listed everything)', async () => {
		// 「こども」 in Shift_JIS, as an old page might link it.
		expect(await refusalOf(new Request(url('?q=%82%B1%82%C7%82%E0')), url('?q=%82%B1%82%C7%82%E0'), {}, false)).toEqual({ code: 'undecodable', param: 'q' });
		expect(await refusalOf(new Request(url('?near=%E8%8D%92&q=%FF')), url('?near=%E8%8D%92&q=%FF'), {}, true)).toEqual({ code: 'undecodable', param: 'q' });
		expect(await refusalOf(new Request(url('?q=%E3%81%93%E3%81%A9%E3%82%82+%25&x')), url('?q=%E3%81%93%E3%81%A9%E3%82%82+%25&x'), {}, false)).toBeNull();
		expect(await refusalOf(new Request(url('?q=100%')), url('?q=100%'), {}, false)).toBeNull();
	});

	it('refuses control characters in query parameters and path segments, not tab or newlines', async () => {
		expect(await refusalOf(new Request(url('?q=%00')), url('?q=%00'), {}, false)).toEqual({ code: 'control_character', param: 'q' });
		expect(await refusalOf(new Request(url('?a=1&b=%1B')), url('?a=1&b=%1B'), {}, true)).toEqual({ code: 'control_character', param: 'b' });
		expect(await refusalOf(new Request(url()), url(), { id: 'x\u0000' }, false)).toEqual({ code: 'control_character', param: 'id' });
		expect(await refusalOf(new Request(url('?q=a%09b%0Ac%0D')), url('?q=a%09b%0Ac%0D'), {}, false)).toBeNull();
		expect(await refusalOf(new Request(url('?q=こども')), url('?q=こども'), {}, false)).toBeNull();
	});

	it('refuses form fields with a NUL, urlencoded or multipart, and keeps the body readable for the route', async () => {
		const request = post('application/x-www-form-urlencoded', 'name=a%00b&x=1');
		expect(await refusalOf(request, url(), {}, false)).toEqual({ code: 'control_character', param: 'name' });
		expect((await request.formData()).get('x')).toBe('1');
		const multipart = new FormData();
		multipart.set('note', 'line\nbreak\u0000');
		expect(await refusalOf(new Request('http://127.0.0.1/x', { method: 'POST', body: multipart }), url(), {}, false)).toEqual({ code: 'control_character', param: 'note' });
		expect(await refusalOf(post('application/x-www-form-urlencoded', 'note=line%0D%0Abreak%09tab'), url(), {}, false)).toBeNull();
	});

	it('refuses posts to pages that are not readable as a form', async () => {
		expect(await refusalOf(post('text/plain', 'a=b'), url(), {}, false)).toEqual({ code: 'unreadable_form' });
		expect(await refusalOf(post('multipart/form-data', 'a=b'), url(), {}, false)).toEqual({ code: 'unreadable_form' });
		expect(await refusalOf(post('multipart/form-data; boundary=zzz', '--other\r\n\r\nx'), url(), {}, false)).toEqual({ code: 'unreadable_form' });
	});

	it('refuses an endpoint’s body over the server’s size limit as too large, and leaves a page’s to its route', async () => {
		// adapter-node errors the body's stream with a SvelteKitError of status 413 past BODY_SIZE_LIMIT.
		const over = (type: string) => {
			const body = new ReadableStream({ start: (c) => c.error(Object.assign(new Error('Payload Too Large'), { status: 413 })) });
			return new Request('http://127.0.0.1/x', { method: 'POST', headers: { 'content-type': type }, body, duplex: 'half' } as RequestInit);
		};
		expect(await refusalOf(over('application/json'), url(), {}, true)).toEqual({ code: 'too_large' });
		expect(await refusalOf(over('multipart/form-data; boundary=zzz'), url(), {}, false)).toBeNull();
		expect(await refusalOf(over('application/x-www-form-urlencoded'), url(), {}, false)).toBeNull();
	});

	it('leaves endpoints their JSON, refusing only control characters inside its strings', async () => {
		expect(await refusalOf(post('application/json', '{"taps":[{"clientKey":"a\\u0000"}]}'), url(), {}, true)).toEqual({ code: 'control_character', param: 'taps.0.clientKey' });
		expect(await refusalOf(post('text/plain', '{"code":"A\\u0001"}'), url(), {}, true)).toEqual({ code: 'control_character', param: 'code' });
		expect(await refusalOf(post('application/json', '{"code":"ABC"}'), url(), {}, true)).toBeNull();
		expect(await refusalOf(post('application/json', 'not json'), url(), {}, true)).toBeNull();
	});

	it('leaves a signed endpoint its body (the route verifies and cleans it) but still refuses its query and path', async () => {
		const signed = { signedBody: true };
		expect(await refusalOf(post('application/json', '{"events":[{"message":{"text":"a\\u0007b"}}]}'), url(), {}, true, signed)).toBeNull();
		expect(await refusalOf(new Request(url('?x=%07'), { method: 'POST', body: '{}' }), url('?x=%07'), {}, true, signed)).toEqual({ code: 'control_character', param: 'x' });
		expect(await refusalOf(post('application/json', '{}'), url(), { id: 'a\u0000' }, true, signed)).toEqual({ code: 'control_character', param: 'id' });
		// Only endpoints: a page's form body is checked whatever the caller says.
		expect(await refusalOf(post('application/x-www-form-urlencoded', 'note=a%07'), url(), {}, false, signed)).toEqual({ code: 'control_character', param: 'note' });
		expect(SIGNED_BODY_ENDPOINTS).toEqual(new Set(['/api/v1/line/webhook']));
	});

	it('spaceForControlCharacters replaces each control with a space and keeps tab and newlines', () => {
		expect(spaceForControlCharacters('a\u0000b\u0007c\u001b[0m\u007fd\u000be\tf\ng\rh')).toBe('a b c [0m d e\tf\ng\rh');
	});
});

describe('record ids (UUID, uuid)', () => {
	it('take any hex id in 8-4-4-4-12 groups, either case, as PostgreSQL does', () => {
		for (const id of ['3f2b6c1e-8d4a-4b2c-9e1f-0a1b2c3d4e5f', '3F2B6C1E-8D4A-4B2C-9E1F-0A1B2C3D4E5F', '11111111-1111-1111-1111-111111111111', '00000000-0000-0000-0000-000000000000']) {
			expect(UUID.test(id), id).toBe(true);
			expect(uuid.safeParse(id).success, id).toBe(true);
		}
		for (const id of ['', 'x', '3f2b6c1e8d4a4b2c9e1f0a1b2c3d4e5f', '3f2b6c1e-8d4a-4b2c-9e1f-0a1b2c3d4e5', '3f2b6c1e-8d4a-4b2c-9e1f-0a1b2c3d4e5fa', 'g f2b6c1e-8d4a-4b2c-9e1f-0a1b2c3d4e5f', ' 3f2b6c1e-8d4a-4b2c-9e1f-0a1b2c3d4e5f']) {
			expect(UUID.test(id), id).toBe(false);
			expect(uuid.safeParse(id).success, id).toBe(false);
		}
	});
});

describe('fieldErrors (zod issues as a form re-renders them)', () => {
	const schema = z.object({
		a: z
			.string()
			.min(2, 'key.short')
			.max(3, 'key.long')
			.refine((v) => v !== 'no', 'key.no'),
		b: z.enum(['x'], { error: 'key.b' }),
		unit: z.enum(['u'], { error: 'key.unit' })
	});

	it("keeps each field's first issue, filing one field under another when asked", () => {
		const parsed = schema.safeParse({ a: '', b: 'y', unit: 'v' });
		expect(parsed.success).toBe(false);
		if (parsed.success) return;
		expect(fieldErrors(parsed.error)).toEqual({ a: 'key.short', b: 'key.b', unit: 'key.unit' });
		expect(fieldErrors(parsed.error, { unit: 'b' })).toEqual({ a: 'key.short', b: 'key.b' });
		expect(fieldErrors(parsed.error, { b: 'x' })).toEqual({ a: 'key.short', x: 'key.b', unit: 'key.unit' });
	});
});

describe('queryOf and formOf (query strings and forms read through a schema)', () => {
	it('reads each key of the schema from the query, absent as null; a notice ignores a word it does not know', () => {
		const schema = z.object({ done: notice(['saved', 'deleted']), id: uuid.nullable().catch(null) });
		expect(queryOf(schema, new URLSearchParams('done=saved&id=3f2b6c1e-8d4a-4b2c-9e1f-0a1b2c3d4e5f&other=x'))).toEqual({ done: 'saved', id: '3f2b6c1e-8d4a-4b2c-9e1f-0a1b2c3d4e5f' });
		expect(queryOf(schema, new URLSearchParams('done=<b>x</b>&id=1'))).toEqual({ done: null, id: null });
		expect(queryOf(schema, new URLSearchParams(''))).toEqual({ done: null, id: null });
	});

	it('reads text fields as sent (absent or a file as an empty text) and every value of an array field', () => {
		const form = new FormData();
		form.set('name', ' あ ');
		form.set('file', new Blob(['x']));
		form.append('tags', 'a');
		form.append('tags', 'b');
		const schema = z.object({ name: z.string(), missing: z.string(), file: z.string(), tags: z.array(z.string()), none: z.array(z.string()) });
		expect(formOf(schema, form)).toEqual({ name: ' あ ', missing: '', file: '', tags: ['a', 'b'], none: [] });
	});

	it('with `sent`, leaves a field that may be missing undefined when not sent, so its default applies; a required one stays empty', () => {
		const schema = z.object({ text: z.string().min(1, 'required'), urgent: z.literal('on').optional(), gender: z.enum(['f', 'm', 'not_given']).default('not_given') });
		const unticked = new FormData();
		expect(formOf(schema, unticked, { sent: true })).toEqual({ text: '', urgent: undefined, gender: undefined });
		expect(schema.safeParse(formOf(schema, unticked, { sent: true })).error?.issues.map((i) => i.message)).toEqual(['required']);
		const sentEmpty = new FormData();
		sentEmpty.set('urgent', '');
		sentEmpty.set('gender', 'f');
		expect(formOf(schema, sentEmpty, { sent: true })).toEqual({ text: '', urgent: '', gender: 'f' });
		// Without `sent`, absent is empty: the default would not apply.
		expect(formOf(schema, unticked).gender).toBe('');
		// A schema piped into a transform is read by its object's keys.
		const piped = schema.transform((v) => ({ ...v, seen: true }));
		expect(Object.keys(formOf(piped, unticked, { sent: true }))).toEqual(['text', 'urgent', 'gender']);
	});

	it('gathers the fields a `named` field names by prefix as [id, text] pairs in the order sent, files left out', () => {
		const form = new FormData();
		form.append('position:u2', '1');
		form.set('minutes', '10');
		form.append('position:u1', ' 2 ');
		form.append('position:u2', '3');
		form.set('position:file', new Blob(['x']));
		form.set('positions', 'not prefixed by position:');
		const schema = z.object({ positions: named('position:'), minutes: z.string(), none: named('none.') });
		expect(formOf(schema, form)).toEqual({
			positions: [
				['u2', '1'],
				['u1', ' 2 '],
				['u2', '3']
			],
			minutes: '10',
			none: []
		});
		expect(schema.parse(formOf(schema, form)).positions).toHaveLength(3);
	});

	it('sentFields shows a refused form back as sent, a repeated name joined', () => {
		const form = new FormData();
		form.append('items', 'name');
		form.append('items', 'phone');
		form.set('purpose', 'つなぐため');
		form.set('file', new Blob(['x']));
		expect(sentFields(form)).toEqual({ items: 'name,phone', purpose: 'つなぐため', file: '' });
	});
});
