CREATE TABLE "program_registration_settings" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"registration_open" boolean DEFAULT false NOT NULL,
	"capacity" integer,
	"capacity_unit" text DEFAULT 'people' NOT NULL,
	"opens_days_before" integer,
	"closes_hours_before" integer,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "program_registration_settings_capacity_unit" CHECK ("program_registration_settings"."capacity_unit" in ('people','groups')),
	CONSTRAINT "program_registration_settings_capacity" CHECK ("program_registration_settings"."capacity" is null or "program_registration_settings"."capacity" > 0),
	CONSTRAINT "program_registration_settings_window" CHECK (("program_registration_settings"."opens_days_before" is null or "program_registration_settings"."opens_days_before" between 0 and 365) and ("program_registration_settings"."closes_hours_before" is null or "program_registration_settings"."closes_hours_before" between 0 and 720))
);
--> statement-breakpoint
CREATE TABLE "registration_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"change_key" text DEFAULT '' NOT NULL,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registration_notices_kind" CHECK ("registration_notices"."kind" in ('confirmation','reminder','promoted','cancelled','moved')),
	CONSTRAINT "registration_notices_channel" CHECK ("registration_notices"."channel" in ('email','line','sms')),
	CONSTRAINT "registration_notices_outcome" CHECK ("registration_notices"."outcome" in ('sent','failed'))
);
--> statement-breakpoint
CREATE TABLE "spreadsheet_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"created_by" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"file_digest" text NOT NULL,
	"header" jsonb NOT NULL,
	"rows" jsonb NOT NULL,
	"mapping" jsonb,
	"row_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "spreadsheet_imports_kind" CHECK ("spreadsheet_imports"."kind" in ('organizations','places','programs'))
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "show_attendance" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "follows_program" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "registration_opens_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "occurrences" ADD COLUMN "registration_closes_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "answers_sealed" text;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "line_link_digest" text;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "line_recipient_sealed" text;--> statement-breakpoint
ALTER TABLE "program_registration_settings" ADD CONSTRAINT "program_registration_settings_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_registration_settings" ADD CONSTRAINT "program_registration_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_notices" ADD CONSTRAINT "registration_notices_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_notices" ADD CONSTRAINT "registration_notices_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spreadsheet_imports" ADD CONSTRAINT "spreadsheet_imports_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spreadsheet_imports" ADD CONSTRAINT "spreadsheet_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "program_registration_settings_organization_idx" ON "program_registration_settings" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registration_notices_once" ON "registration_notices" USING btree ("registration_id","kind","change_key","channel");--> statement-breakpoint
CREATE INDEX "registration_notices_organization_idx" ON "registration_notices" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "spreadsheet_imports_created_by_idx" ON "spreadsheet_imports" USING btree ("created_by","created_at");--> statement-breakpoint
-- Dates set by hand before program defaults existed keep their own settings (issue 16).
UPDATE "occurrences" SET "follows_program" = false WHERE "registration_open" OR "capacity" IS NOT NULL OR "kind" = 'visit';--> statement-breakpoint
-- A program's registration defaults are public like its dates (the form shows the questions);
-- the organisation writes them.
ALTER TABLE program_registration_settings ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE program_registration_settings FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY program_registration_settings_read ON program_registration_settings FOR SELECT USING (true);--> statement-breakpoint
CREATE POLICY program_registration_settings_write ON program_registration_settings FOR ALL USING (app_in_org(organization_id))
	WITH CHECK (app_in_org(organization_id) AND app_program_writable(program_id));--> statement-breakpoint
CREATE TRIGGER public_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "program_registration_settings" FOR EACH STATEMENT EXECUTE FUNCTION notify_public_data_changed();--> statement-breakpoint
-- Notices name who was told: like registrations, only the organisation and the platform.
ALTER TABLE registration_notices ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE registration_notices FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY registration_notices_access ON registration_notices FOR ALL
	USING (app_is_system() OR organization_id = ANY(app_org_ids()))
	WITH CHECK (app_is_system() OR organization_id = ANY(app_org_ids()));--> statement-breakpoint
-- A pending import is its author's: the secretariat's region-wide ones, an organisation's own.
ALTER TABLE spreadsheet_imports ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE spreadsheet_imports FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY spreadsheet_imports_access ON spreadsheet_imports FOR ALL
	USING (app_is_system() OR (created_by = app_user_id() AND ((organization_id IS NULL AND app_is_secretariat()) OR organization_id = ANY(app_org_ids()))))
	WITH CHECK (app_is_system() OR (created_by = app_user_id() AND ((organization_id IS NULL AND app_is_secretariat()) OR organization_id = ANY(app_org_ids()))));
