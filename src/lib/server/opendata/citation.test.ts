/**
 * Each organisation's record says where its facts come from: a demo organisation cites its source
 * document (the heading and what the document is), one that joined through tsunagu says its facts
 * are its own; in HSDS as an attribute that validates, in the /api/v1 representation as `citation`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { hsdsErrors } from '../../../../tests/helpers/hsds';
import { makeOrganizationWithProgram } from '../../../../tests/helpers/factories';
import type { Database } from '../db';
import { getOrganization } from '../directory';
import { organizationDetail } from '../api/programs';
import { translator } from '$lib/i18n';
import { citationText, hsdsOrganizationById, organizationCitation } from './index';

const ORIGIN = 'https://tsunagu.test';
const license = { name: 'CC BY 4.0', identifier: 'CC-BY-4.0', title: 'x', url: 'https://creativecommons.org/licenses/by/4.0/deed.ja', attribution: 'つなぐ' };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let database: Database;
let seeded: { id: string; name: string; source_title: string; created_at: Date };
let joined: string;

beforeAll(async () => {
	database = await testDatabase();
	[seeded] = (await database.db.execute<typeof seeded>(sql`select id, name, source_title, created_at from organizations where source_file = '001_0f4161682f2db0a8.txt' and published order by slug limit 1`)).rows;
	joined = (await makeOrganizationWithProgram(database.db)).organizationId;
}, 120_000);
afterAll(() => database?.close());

const sourceAttribute = (record: Json) => (record.attributes as Json[]).filter((a) => a.taxonomy_term?.code === 'source');

describe('citations', () => {
	it('a demo organisation cites its document: the section heading, what the document is, the day it was listed (loading is no change)', async () => {
		const detail = (await getOrganization(database.db, seeded.id))!;
		const citation = organizationCitation(detail.organization, ORIGIN);
		expect(citation).toMatchObject({ kind: 'source_document', title: seeded.source_title, document: { file: '001_0f4161682f2db0a8.txt', description: { ja: '内閣府 孤独・孤立対策モデル事業の事例集' } }, url: `${ORIGIN}/organizations/${seeded.id}` });
		expect(citation.listedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		// The day the demo data was loaded is no 「最終更新」 (walk of issue 15).
		expect(citation.updatedOn).toBeNull();
		const text = citationText(translator('ja'), citation, 'ja');
		expect(text).toBe(`出典: 『${seeded.source_title}』(内閣府 孤独・孤立対策モデル事業の事例集)。つなぐへの掲載 ${citation.listedOn}。`);
		expect(citationText(translator('en'), citation, 'en')).toBe(`Source: “${seeded.source_title}” (Cabinet Office casebook of model projects against loneliness and isolation). Listed on Tsunagu ${citation.listedOn}.`);

		const hsds = (await hsdsOrganizationById(database.db, seeded.id, ORIGIN)) as Json;
		expect(hsdsErrors('organization', hsds)).toEqual([]);
		expect(sourceAttribute(hsds).map((a) => a.value)).toEqual([text]);

		const api = organizationDetail(detail, 'ja', ORIGIN, license);
		expect(api.citation).toEqual({ kind: 'source_document', text, title: seeded.source_title, document: { file: '001_0f4161682f2db0a8.txt', description: '内閣府 孤独・孤立対策モデル事業の事例集' }, listed_on: citation.listedOn, updated_on: null, url: citation.url });
		expect(api.license).toEqual(license);
	});

	it('an organisation that joined through tsunagu is cited as the source of its own facts', async () => {
		const detail = (await getOrganization(database.db, joined))!;
		const citation = organizationCitation(detail.organization, ORIGIN);
		expect(citation).toMatchObject({ kind: 'organization', title: null, document: null, organization: detail.organization.name });
		const text = citationText(translator('ja'), citation, 'ja');
		expect(text).toBe(`出典: ${detail.organization.name}がつなぐに登録した情報。掲載 ${citation.listedOn}、最終更新 ${citation.updatedOn}。`);
		const hsds = (await hsdsOrganizationById(database.db, joined, ORIGIN)) as Json;
		expect(hsdsErrors('organization', hsds)).toEqual([]);
		expect(sourceAttribute(hsds).map((a) => a.value)).toEqual([text]);
		expect(organizationDetail(detail, 'en', ORIGIN, license).citation).toMatchObject({ kind: 'organization', document: null, text: `Source: information ${detail.organization.name} entered on Tsunagu. Listed ${citation.listedOn}, last updated ${citation.updatedOn}.` });
	});
});
