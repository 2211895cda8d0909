ALTER TABLE "locations" ADD COLUMN "municipality_code" text;--> statement-breakpoint
ALTER TABLE "locations" ADD COLUMN "coordinates_approximate" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "audience" text DEFAULT 'residents' NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "area_codes" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "location_approximate" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "programs_area_codes_idx" ON "programs" USING gin ("area_codes");--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_municipality_code" CHECK ("locations"."municipality_code" ~ '^[0-9]{6}$');--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_audience" CHECK ("programs"."audience" in ('residents','supporters'));--> statement-breakpoint
-- Public pages may be cached per process; every process LISTENs on this channel and drops its
-- cache when published data changes (delivered at commit, once per statement, from any writer).
CREATE FUNCTION notify_public_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('tsunagu_public_changed', TG_TABLE_NAME);
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organizations" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "locations" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "programs" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "program_locations" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "program_partners" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "schedules" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "program_upcoming_dates" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "taxonomy_terms" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "occurrences" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "registrations" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();
