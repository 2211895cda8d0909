-- Issue 15: at national scale a bulk file is larger than one bytea value (1 GB) and than one
-- JavaScript string; it is made, stored and served in pieces of at most 1 MiB, each at its byte offset.
CREATE TABLE "opendata_export_chunks" (
	"name" text NOT NULL,
	"version" uuid NOT NULL,
	"start" bigint NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "opendata_export_chunks_name_version_start_pk" PRIMARY KEY("name","version","start")
);
--> statement-breakpoint
ALTER TABLE "opendata_exports" ALTER COLUMN "bytes" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "opendata_exports" ADD COLUMN "version" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
-- A file stored before this migration becomes one piece of its version: still served, same ETag.
INSERT INTO "opendata_export_chunks" ("name", "version", "start", "data") SELECT "name", "version", 0, "content" FROM "opendata_exports";--> statement-breakpoint
ALTER TABLE "opendata_exports" DROP COLUMN "content";--> statement-breakpoint
-- Like the files themselves: public, written only by the platform (no change trigger: storing a
-- regeneration must not announce a change of its own).
ALTER TABLE opendata_export_chunks ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE opendata_export_chunks FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY opendata_export_chunks_read ON opendata_export_chunks FOR SELECT USING (true);--> statement-breakpoint
CREATE POLICY opendata_export_chunks_write ON opendata_export_chunks FOR ALL
	USING ((SELECT app_is_system()))
	WITH CHECK ((SELECT app_is_system()));
