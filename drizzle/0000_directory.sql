CREATE TABLE "locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefecture" text NOT NULL,
	"city" text,
	"address_line" text,
	"postal_code" text,
	"lat" double precision,
	"lng" double precision,
	"accessibility" text,
	"transport" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"name_kana" text,
	"legal_form" text,
	"representative" text,
	"founded" text,
	"prefecture" text,
	"city" text,
	"address_line" text,
	"postal_code" text,
	"website" text,
	"message" text,
	"description" text DEFAULT '' NOT NULL,
	"source_file" text,
	"source_title" text,
	"published" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_founded_format" CHECK ("organizations"."founded" ~ '^[0-9]{4}-[0-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "program_locations" (
	"program_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "program_locations_program_id_location_id_pk" PRIMARY KEY("program_id","location_id")
);
--> statement-breakpoint
CREATE TABLE "program_partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"program_id" uuid NOT NULL,
	"name" text NOT NULL,
	"role" text,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "program_upcoming_dates" (
	"program_id" uuid NOT NULL,
	"day" date NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"all_day" boolean DEFAULT false NOT NULL,
	CONSTRAINT "program_upcoming_dates_program_id_starts_at_pk" PRIMARY KEY("program_id","starts_at")
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"forms" text[] DEFAULT '{}' NOT NULL,
	"targets" text[] DEFAULT '{}' NOT NULL,
	"life_stages" text[] DEFAULT '{}' NOT NULL,
	"partnership_type" text,
	"cost_kind" text DEFAULT 'unknown' NOT NULL,
	"cost_amount_yen" integer,
	"cost_note" text,
	"join_method" text DEFAULT 'unknown' NOT NULL,
	"join_note" text,
	"first_time_note" text,
	"languages" text[] DEFAULT '{ja}' NOT NULL,
	"delivery_mode" text DEFAULT 'in_person' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"published" boolean DEFAULT true NOT NULL,
	"period_start" text,
	"period_end" text,
	"outcomes" text,
	"contact_phone" text,
	"contact_email" text,
	"contact_url" text,
	"areas" text[] DEFAULT '{}' NOT NULL,
	"weekdays" text[] DEFAULT '{}' NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"search_title" text DEFAULT '' NOT NULL,
	"search_tags" text DEFAULT '' NOT NULL,
	"search_body" text DEFAULT '' NOT NULL,
	"search_grams" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programs_cost_kind" CHECK ("programs"."cost_kind" in ('free','pay_what_you_can','fixed','unknown')),
	CONSTRAINT "programs_join_method" CHECK ("programs"."join_method" in ('no_registration','reservation','membership','referral_only','unknown')),
	CONSTRAINT "programs_delivery_mode" CHECK ("programs"."delivery_mode" in ('in_person','online','both')),
	CONSTRAINT "programs_status" CHECK ("programs"."status" in ('active','ended','planned'))
);
--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"program_id" uuid NOT NULL,
	"location_id" uuid,
	"rrule" text,
	"dtstart" date NOT NULL,
	"until" date,
	"count" integer,
	"exdates" date[] DEFAULT '{}' NOT NULL,
	"opens_at" text,
	"closes_at" text,
	"timezone" text DEFAULT 'Asia/Tokyo' NOT NULL,
	"closed_on_holidays" boolean DEFAULT false NOT NULL,
	"note" text,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "taxonomy_terms" (
	"taxonomy" text NOT NULL,
	"code" text NOT NULL,
	"label_ja" text NOT NULL,
	"label_en" text NOT NULL,
	"sort_order" integer NOT NULL,
	CONSTRAINT "taxonomy_terms_taxonomy_code_pk" PRIMARY KEY("taxonomy","code")
);
--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_locations" ADD CONSTRAINT "program_locations_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_locations" ADD CONSTRAINT "program_locations_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_partners" ADD CONSTRAINT "program_partners_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_upcoming_dates" ADD CONSTRAINT "program_upcoming_dates_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules" ADD CONSTRAINT "schedules_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "locations_organization_idx" ON "locations" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "locations_area_idx" ON "locations" USING btree ("prefecture","city");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_slug_key" ON "organizations" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "program_locations_location_idx" ON "program_locations" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "program_partners_program_idx" ON "program_partners" USING btree ("program_id");--> statement-breakpoint
CREATE INDEX "program_upcoming_dates_day_idx" ON "program_upcoming_dates" USING btree ("day","program_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programs_slug_key" ON "programs" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "programs_organization_idx" ON "programs" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "programs_search_grams_idx" ON "programs" USING gin ("search_grams");--> statement-breakpoint
CREATE INDEX "programs_areas_idx" ON "programs" USING gin ("areas");--> statement-breakpoint
CREATE INDEX "programs_life_stages_idx" ON "programs" USING gin ("life_stages");--> statement-breakpoint
CREATE INDEX "programs_forms_idx" ON "programs" USING gin ("forms");--> statement-breakpoint
CREATE INDEX "programs_targets_idx" ON "programs" USING gin ("targets");--> statement-breakpoint
CREATE INDEX "schedules_program_idx" ON "schedules" USING btree ("program_id");