/**
 * Open data: the licence the secretariat publishes the directory under, and the bulk files made
 * from the published directory (HSDS JSON, HSDS tabular zip). Public like the directory itself:
 * these tables hold nothing about residents. Row-level security in drizzle/0021.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, boolean, bigint, timestamp, check, customType, primaryKey } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** The licences a secretariat may choose (SPDX identifiers); open ones only, so portals can list the data. */
export const OPEN_LICENCES = ['CC-BY-4.0', 'CC0-1.0', 'CC-BY-SA-4.0', 'ODC-By-1.0', 'PDDL-1.0'] as const;
export type OpenLicenceId = (typeof OPEN_LICENCES)[number];

/** One row (id = true): the region's open-data settings. Absent means the default, CC BY 4.0. */
export const opendataSettings = pgTable(
	'opendata_settings',
	{
		id: boolean('id').primaryKey().default(true),
		licence: text('licence').$type<OpenLicenceId>().notNull().default('CC-BY-4.0'),
		// The credit line a reuser is asked to give, e.g. 「○○市社会福祉協議会 つなぐ」; null → the site's name.
		attribution: text('attribution'),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
		updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' })
	},
	(t) => [check('opendata_settings_one_row', sql`${t.id}`), check('opendata_settings_licence', sql`${t.licence} in ('CC-BY-4.0','CC0-1.0','CC-BY-SA-4.0','ODC-By-1.0','PDDL-1.0')`), check('opendata_settings_attribution', sql`${t.attribution} is null or length(${t.attribution}) between 1 and 200`)]
);

/**
 * A bulk file as last generated: what it is, its size and digest; its bytes are the pieces of its
 * `version` in opendata_export_chunks (drizzle/0025: at national scale a file is larger than one
 * bytea value may be, and is made and served a piece at a time). Regenerated when the published
 * directory changes (the public change notification), so every process serves the same bytes with
 * the same update time.
 */
export const opendataExports = pgTable(
	'opendata_exports',
	{
		name: text('name').primaryKey(), // the file name under /opendata, e.g. hsds.json
		mediaType: text('media_type').notNull(),
		// Which pieces are this file: a regeneration writes a new version beside the one being served.
		version: uuid('version').notNull().defaultRandom(),
		bytes: bigint('bytes', { mode: 'number' }).notNull(),
		sha256: text('sha256').notNull(),
		generatedAt: timestamp('generated_at', { withTimezone: true }).notNull().defaultNow(),
		// What made the file besides the directory: the app's build and the site's origin (exports.ts
		// `rendererOf`). Another build may render the same directory differently, so it compares again.
		renderer: text('renderer')
	},
	(t) => [check('opendata_exports_name', sql`${t.name} ~ '^[a-z0-9][a-z0-9._-]{0,80}$'`)]
);

/**
 * The bytes of a bulk file, in pieces of at most 1 MiB (the last may be shorter; a file stored
 * before 0025 is one piece) at their byte offset `start`, so a download streams them in order
 * and a byte range starts at the piece holding its first byte. The file's current version and
 * the one before are kept: a download that began before a regeneration still finds its pieces.
 */
export const opendataExportChunks = pgTable(
	'opendata_export_chunks',
	{
		name: text('name').notNull(),
		version: uuid('version').notNull(),
		start: bigint('start', { mode: 'number' }).notNull(),
		data: bytea('data').notNull()
	},
	(t) => [primaryKey({ columns: [t.name, t.version, t.start] })]
);

/**
 * The transactions that wrote what the bulk files are made from since the files were last made or
 * found unchanged (drizzle/0027): one row per writing transaction, by its id, added by a trigger
 * on every statement that writes those tables, and cleared by the export for the transactions its
 * snapshot saw. No row: the stored files state the directory as it is, and a check reads nothing
 * else. A transaction still open when the export read is not seen, so its row stays for the next.
 */
export const opendataDirectoryChanges = pgTable('opendata_directory_changes', {
	xact: bigint('xact', { mode: 'bigint' }).primaryKey()
});
