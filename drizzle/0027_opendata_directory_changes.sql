CREATE TABLE "opendata_directory_changes" (
	"xact" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "opendata_exports" ADD COLUMN "renderer" text;--> statement-breakpoint
-- Issue 15: a check of the open-data bulk files read the whole published directory (80–117 s of CPU
-- at 100,000 programs, at every start) to find it unchanged. Now every statement that writes what
-- the files are made from notes its transaction here, once per transaction; the export clears the
-- rows its snapshot saw (src/lib/server/opendata/exports.ts). A row, not a counter: writers never
-- wait for each other on one row, and a transaction still open while the export reads keeps its row
-- (a sequence would be bumped before commit, and an export could store the new value unseen).
-- Public like the files (only transaction ids); any writer of the directory adds its row, only the
-- platform clears them.
ALTER TABLE opendata_directory_changes ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE opendata_directory_changes FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY opendata_directory_changes_read ON opendata_directory_changes FOR SELECT USING (true);--> statement-breakpoint
CREATE POLICY opendata_directory_changes_note ON opendata_directory_changes FOR INSERT WITH CHECK (true);--> statement-breakpoint
CREATE POLICY opendata_directory_changes_clear ON opendata_directory_changes FOR DELETE USING ((SELECT app_is_system()));--> statement-breakpoint
CREATE FUNCTION note_opendata_directory_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO opendata_directory_changes (xact) VALUES (pg_current_xact_id()::text::bigint) ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;--> statement-breakpoint
-- The tables the files are read from (directory/read.ts getOrganizations, getPrograms; the licence).
-- Of programs, not the finder's own columns: the nightly date refresh (next_*, following_starts_at)
-- and the finder's index (areas, area codes, weekdays, point, search_*, index_version) write them,
-- derived from what is watched, and the files never show them (export-changes.test.ts checks both).
CREATE TRIGGER opendata_directory_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF
	id, slug, organization_id, title, summary, description, forms, targets, life_stages, partnership_type, cost_kind, cost_amount_yen, cost_note,
	join_method, join_note, first_time_note, languages, delivery_mode, status, published, period_start, period_end, outcomes,
	contact_phone, contact_email, contact_url, audience, created_at, updated_at
	ON "programs" FOR EACH STATEMENT EXECUTE FUNCTION note_opendata_directory_change();--> statement-breakpoint
CREATE TRIGGER opendata_directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organizations" FOR EACH STATEMENT EXECUTE FUNCTION note_opendata_directory_change();--> statement-breakpoint
CREATE TRIGGER opendata_directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "locations" FOR EACH STATEMENT EXECUTE FUNCTION note_opendata_directory_change();--> statement-breakpoint
CREATE TRIGGER opendata_directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "program_locations" FOR EACH STATEMENT EXECUTE FUNCTION note_opendata_directory_change();--> statement-breakpoint
CREATE TRIGGER opendata_directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "program_partners" FOR EACH STATEMENT EXECUTE FUNCTION note_opendata_directory_change();--> statement-breakpoint
CREATE TRIGGER opendata_directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "schedules" FOR EACH STATEMENT EXECUTE FUNCTION note_opendata_directory_change();--> statement-breakpoint
CREATE TRIGGER opendata_directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "opendata_settings" FOR EACH STATEMENT EXECUTE FUNCTION note_opendata_directory_change();
