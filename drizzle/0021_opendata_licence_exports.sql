CREATE TABLE "opendata_exports" (
	"name" text PRIMARY KEY NOT NULL,
	"media_type" text NOT NULL,
	"content" "bytea" NOT NULL,
	"bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opendata_exports_name" CHECK ("opendata_exports"."name" ~ '^[a-z0-9][a-z0-9._-]{0,80}$')
);
--> statement-breakpoint
CREATE TABLE "opendata_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"licence" text DEFAULT 'CC-BY-4.0' NOT NULL,
	"attribution" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "opendata_settings_one_row" CHECK ("opendata_settings"."id"),
	CONSTRAINT "opendata_settings_licence" CHECK ("opendata_settings"."licence" in ('CC-BY-4.0','CC0-1.0','CC-BY-SA-4.0','ODC-By-1.0','PDDL-1.0')),
	CONSTRAINT "opendata_settings_attribution" CHECK ("opendata_settings"."attribution" is null or length("opendata_settings"."attribution") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "opendata_settings" ADD CONSTRAINT "opendata_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- The licence is public (the footer, the API and every download state it); only the secretariat
-- chooses it. A change empties the public page caches like any published change.
ALTER TABLE opendata_settings ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE opendata_settings FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY opendata_settings_read ON opendata_settings FOR SELECT USING (true);--> statement-breakpoint
CREATE POLICY opendata_settings_write ON opendata_settings FOR ALL
	USING ((SELECT app_is_system()) OR (SELECT app_is_secretariat()))
	WITH CHECK ((SELECT app_is_system()) OR (SELECT app_is_secretariat()));--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "opendata_settings" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
-- Bulk files are made from published data only and are public; only the platform writes them
-- (no change trigger here: regenerating must not announce a change of its own).
ALTER TABLE opendata_exports ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE opendata_exports FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY opendata_exports_read ON opendata_exports FOR SELECT USING (true);--> statement-breakpoint
CREATE POLICY opendata_exports_write ON opendata_exports FOR ALL
	USING ((SELECT app_is_system()))
	WITH CHECK ((SELECT app_is_system()));
