/**
 * The directory's licence: CC BY 4.0 until the secretariat chooses another; only a secretariat
 * scope made for network.opendata changes it (audited, the fields named); row-level security
 * refuses every other writer; bad input is refused by the form's schema with its Japanese key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDatabase } from '../../../../tests/helpers/db';
import { seedCast, type Cast } from '../../../../tests/helpers/people';
import { actorOf, organizationScopeOf, requestOf, secretariatScopeOf } from '../../../../tests/helpers/scopes';
import { useDatabase, type Database } from '../db';
import { asSystem, withAccess } from '../db/tenant';
import { requireSecretariat } from '../auth/guard';
import { directoryLicence, licenceSettings, licenceSettingsInput, setDirectoryLicence, DIRECTORY_LICENCE, LICENCES, OPEN_LICENCES } from './index';

let database: Database;
let cast: Cast;

beforeAll(async () => {
	database = await testDatabase();
	useDatabase(database);
	cast = await seedCast(database);
}, 120_000);
afterAll(() => database?.close());

const settingsRows = async () => (await database.db.execute<{ licence: string; attribution: string | null; updated_by: string | null }>(sql`select licence, attribution, updated_by from opendata_settings`)).rows;
// The audit log is private: read past row-level security, as the platform.
const audits = async () => (await asSystem(database.db, (tx) => tx.execute<{ action: string; entity_id: string; changed_fields: string[]; actor_user_id: string }>(sql`select action, entity_id, changed_fields, actor_user_id from audit_events where action = 'opendata.licence' order by id`))).rows;
const secretariat = () => secretariatScopeOf(cast.people.secretariat.userId, cast.secretariatOrg, 'network.opendata');

describe('the directory licence', () => {
	it('is CC BY 4.0 with no credit line while nobody has chosen one', async () => {
		expect(await settingsRows()).toEqual([]);
		const licence = await directoryLicence(database.db);
		expect(licence).toMatchObject({ identifier: 'CC-BY-4.0', name: DIRECTORY_LICENCE.name, attribution: null, updatedAt: null, terms: 'attribution' });
		expect(licence.url.ja).toBe(DIRECTORY_LICENCE.url);
		// Every choosable licence has its names and pages in both languages.
		for (const id of OPEN_LICENCES) {
			expect(LICENCES[id].identifier).toBe(id);
			for (const lang of ['ja', 'en'] as const) {
				expect(LICENCES[id].title[lang]).toBeTruthy();
				expect(LICENCES[id].url[lang]).toMatch(/^https:\/\//);
			}
		}
	});

	it('the secretariat chooses another licence and a credit line; it is read back, recorded with who and audited', async () => {
		const page = await licenceSettings(secretariat());
		expect(page.ok && page.value.choices.map((c) => c.identifier)).toEqual([...OPEN_LICENCES]);
		const saved = await setDirectoryLicence(secretariat(), { licence: 'CC-BY-SA-4.0', attribution: '  荒川区社会福祉協議会 つなぐ  ' });
		expect(saved).toMatchObject({ ok: true, value: { identifier: 'CC-BY-SA-4.0', attribution: '荒川区社会福祉協議会 つなぐ' } });
		expect(await settingsRows()).toEqual([{ licence: 'CC-BY-SA-4.0', attribution: '荒川区社会福祉協議会 つなぐ', updated_by: cast.people.secretariat.userId }]);
		const now = await directoryLicence(database.db);
		expect(now).toMatchObject({ identifier: 'CC-BY-SA-4.0', name: 'CC BY-SA 4.0', terms: 'share_alike', attribution: '荒川区社会福祉協議会 つなぐ' });
		expect(now.updatedAt).toBeInstanceOf(Date);
		// Only the licence changes the second time: the audit names that field alone.
		await setDirectoryLicence(secretariat(), { licence: 'CC0-1.0', attribution: '荒川区社会福祉協議会 つなぐ' });
		expect(await audits()).toEqual([
			{ action: 'opendata.licence', entity_id: 'CC-BY-SA-4.0', changed_fields: ['licence', 'attribution'], actor_user_id: cast.people.secretariat.userId },
			{ action: 'opendata.licence', entity_id: 'CC0-1.0', changed_fields: ['licence'], actor_user_id: cast.people.secretariat.userId }
		]);
		// An empty credit line means the site's name again.
		await setDirectoryLicence(secretariat(), { licence: 'CC-BY-4.0', attribution: '' });
		expect(await directoryLicence(database.db)).toMatchObject({ identifier: 'CC-BY-4.0', attribution: null });
	});

	it('refuses a secretariat scope made for another permission, and changes nothing', async () => {
		const before = await settingsRows();
		const other = secretariatScopeOf(cast.people.secretariat.userId, cast.secretariatOrg, 'network.council');
		expect(await setDirectoryLicence(other, { licence: 'PDDL-1.0', attribution: '' })).toEqual({ ok: false, reason: 'forbidden' });
		expect(await licenceSettings(other)).toEqual({ ok: false, reason: 'forbidden' });
		expect(await settingsRows()).toEqual(before);
	});

	it('an organisation admin gets no secretariat scope, and the database refuses their context a write', async () => {
		expect(() => requireSecretariat(requestOf(actorOf(cast.people.org_admin.userId, cast.orgA, 'org_admin')), 'network.opendata')).toThrow();
		expect(() => organizationScopeOf(cast.people.org_admin.userId, cast.orgA, 'org_admin', 'network.opendata')).toThrow();
		const before = await settingsRows();
		await expect(withAccess(database.db, { organizationIds: [cast.orgA], userId: cast.people.org_admin.userId }, (tx) => tx.execute(sql`update opendata_settings set licence = 'PDDL-1.0'`))).resolves.toMatchObject({ rowCount: 0 });
		await expect(withAccess(database.db, { organizationIds: [cast.orgA], userId: cast.people.org_admin.userId }, (tx) => tx.execute(sql`delete from opendata_settings`))).resolves.toMatchObject({ rowCount: 0 });
		expect(await settingsRows()).toEqual(before);
	});

	it('the form refuses an unknown licence and a long or multi-line credit line with their message keys', () => {
		const error = (input: unknown) => licenceSettingsInput.safeParse(input).error?.issues.map((i) => i.message);
		expect(error({ licence: 'GPL-3.0', attribution: '' })).toEqual(['licence.error.licence']);
		expect(error({ licence: '', attribution: '' })).toEqual(['licence.error.licence']);
		expect(error({ licence: 'CC-BY-4.0', attribution: 'あ'.repeat(201) })).toEqual(['licence.error.attribution']);
		expect(error({ licence: 'CC-BY-4.0', attribution: '一行目\n二行目' })).toEqual(['licence.error.attribution']);
		expect(licenceSettingsInput.parse({ licence: 'ODC-By-1.0', attribution: 'あ'.repeat(200) }).attribution).toHaveLength(200);
	});
});
