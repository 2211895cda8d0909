/**
 * Imports: a spreadsheet (.xlsx or .csv) a secretariat or an organisation brings in. The parsed
 * rows wait here between the preview and the confirmation, so nothing is written to the
 * directory until staff confirm, and the confirmation writes exactly what the preview showed.
 */
import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, integer, jsonb, timestamp, index, check } from 'drizzle-orm/pg-core';
import { organizations } from '../directory/schema';
import { users } from '../auth/schema';

export const IMPORT_KINDS = ['organizations', 'places', 'programs'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const spreadsheetImports = pgTable(
	'spreadsheet_imports',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		// The organisation importing its own rows; null for the secretariat's region-wide import.
		organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
		createdBy: uuid('created_by')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<ImportKind>().notNull(),
		fileName: text('file_name').notNull(),
		fileDigest: text('file_digest').notNull(), // sha-256 of the uploaded bytes
		header: jsonb('header').notNull(), // the sheet's column titles
		rows: jsonb('rows').notNull(), // cell text, row by row
		mapping: jsonb('mapping'), // column → field, once chosen
		rowCount: integer('row_count').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		confirmedAt: timestamp('confirmed_at', { withTimezone: true })
	},
	(t) => [index('spreadsheet_imports_created_by_idx').on(t.createdBy, t.createdAt), check('spreadsheet_imports_kind', sql`${t.kind} in ('organizations','places','programs')`)]
);
