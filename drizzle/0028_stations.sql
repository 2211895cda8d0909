CREATE TABLE "stations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"reading" text,
	"line_names" text[] NOT NULL,
	"operator_names" text[] NOT NULL,
	"station_codes" text[] DEFAULT '{}' NOT NULL,
	"group_code" text,
	"prefecture_code" text,
	"municipality_code" text,
	"municipality_approximate" boolean DEFAULT true NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"source" text NOT NULL,
	"licence" text NOT NULL,
	"attribution" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stations_prefecture_code" CHECK ("stations"."prefecture_code" ~ '^[0-9]{6}$'),
	CONSTRAINT "stations_municipality_code" CHECK ("stations"."municipality_code" ~ '^[0-9]{6}$'),
	CONSTRAINT "stations_lat_lng" CHECK ("stations"."lat" between -90 and 90 and "stations"."lng" between -180 and 180)
);
--> statement-breakpoint
CREATE INDEX "stations_name_key_idx" ON "stations" USING btree ("name_key");--> statement-breakpoint
-- Public data (anyone may read where a station is); only the platform's loader writes it
-- (`npm run stations:load`, in the system context). A load changes what the finder's pages say,
-- so it empties the public page caches like any published change.
ALTER TABLE stations ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE stations FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY stations_read ON stations FOR SELECT USING (true);--> statement-breakpoint
CREATE POLICY stations_write ON stations FOR ALL
	USING ((SELECT app_is_system()))
	WITH CHECK ((SELECT app_is_system()));--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "stations" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();
