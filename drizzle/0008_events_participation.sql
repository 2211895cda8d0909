CREATE TABLE "occurrences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"program_id" uuid NOT NULL,
	"schedule_id" uuid,
	"series_day" date,
	"day" date NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"all_day" boolean DEFAULT false NOT NULL,
	"location_id" uuid,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"moved" boolean DEFAULT false NOT NULL,
	"kind" text DEFAULT 'session' NOT NULL,
	"title" text,
	"note" text,
	"registration_open" boolean DEFAULT false NOT NULL,
	"capacity" integer,
	"capacity_unit" text DEFAULT 'people' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "occurrences_status" CHECK ("occurrences"."status" in ('scheduled','cancelled')),
	CONSTRAINT "occurrences_kind" CHECK ("occurrences"."kind" in ('session','visit')),
	CONSTRAINT "occurrences_capacity_unit" CHECK ("occurrences"."capacity_unit" in ('people','groups')),
	CONSTRAINT "occurrences_capacity" CHECK ("occurrences"."capacity" is null or "occurrences"."capacity" > 0),
	CONSTRAINT "occurrences_series" CHECK ("occurrences"."schedule_id" is null or "occurrences"."series_day" is not null)
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"occurrence_id" uuid NOT NULL,
	"status" text NOT NULL,
	"name_sealed" text NOT NULL,
	"contact_sealed" text NOT NULL,
	"needs_sealed" text,
	"contact_kind" text NOT NULL,
	"group_size" integer DEFAULT 1 NOT NULL,
	"submission_key" text NOT NULL,
	"access_digest" text NOT NULL,
	"reference_code" text NOT NULL,
	"card_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"promoted_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"attended_at" timestamp with time zone,
	CONSTRAINT "registrations_status" CHECK ("registrations"."status" in ('registered','waitlisted','cancelled')),
	CONSTRAINT "registrations_contact_kind" CHECK ("registrations"."contact_kind" in ('email','phone')),
	CONSTRAINT "registrations_group_size" CHECK ("registrations"."group_size" between 1 and 20)
);
--> statement-breakpoint
CREATE TABLE "card_consents" (
	"card_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "card_consents_card_id_organization_id_pk" PRIMARY KEY("card_id","organization_id")
);
--> statement-breakpoint
CREATE TABLE "participation_cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"manage_digest" text NOT NULL,
	"age_band" text,
	"gender" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"program_id" uuid NOT NULL,
	"occurrence_id" uuid,
	"day" date NOT NULL,
	"counted_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"person_key" text,
	"card_id" uuid,
	"registration_id" uuid,
	"people" integer DEFAULT 1 NOT NULL,
	"age_band" text,
	"gender" text,
	"first_visit" boolean,
	"client_key" text,
	"recorded_by" uuid,
	CONSTRAINT "visits_source" CHECK ("visits"."source" in ('card','registration','tap')),
	CONSTRAINT "visits_people" CHECK ("visits"."people" between 1 and 50),
	CONSTRAINT "visits_age_band" CHECK ("visits"."age_band" is null or "visits"."age_band" in ('under_10','10s','20s','30s','40s','50s','60s','70s','80s','90s_plus','not_given')),
	CONSTRAINT "visits_gender" CHECK ("visits"."gender" is null or "visits"."gender" in ('female','male','other','not_given'))
);
--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_schedule_id_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "occurrences" ADD CONSTRAINT "occurrences_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_occurrence_id_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."occurrences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_consents" ADD CONSTRAINT "card_consents_card_id_participation_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."participation_cards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_consents" ADD CONSTRAINT "card_consents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_occurrence_id_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."occurrences"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_card_id_participation_cards_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."participation_cards"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "occurrences_series_key" ON "occurrences" USING btree ("schedule_id","series_day");--> statement-breakpoint
CREATE INDEX "occurrences_day_idx" ON "occurrences" USING btree ("day","program_id");--> statement-breakpoint
CREATE INDEX "occurrences_program_idx" ON "occurrences" USING btree ("program_id","starts_at");--> statement-breakpoint
CREATE INDEX "occurrences_organization_idx" ON "occurrences" USING btree ("organization_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_submission_key" ON "registrations" USING btree ("occurrence_id","submission_key");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_access_key" ON "registrations" USING btree ("access_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_reference_key" ON "registrations" USING btree ("organization_id","reference_code");--> statement-breakpoint
CREATE INDEX "registrations_occurrence_idx" ON "registrations" USING btree ("occurrence_id","status","created_at");--> statement-breakpoint
CREATE INDEX "card_consents_organization_idx" ON "card_consents" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "participation_cards_code_key" ON "participation_cards" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "participation_cards_manage_key" ON "participation_cards" USING btree ("manage_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "visits_client_key" ON "visits" USING btree ("organization_id","client_key") WHERE "visits"."client_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "visits_person_day_key" ON "visits" USING btree ("program_id","day","person_key") WHERE "visits"."person_key" is not null;--> statement-breakpoint
CREATE INDEX "visits_organization_day_idx" ON "visits" USING btree ("organization_id","day");--> statement-breakpoint
CREATE INDEX "visits_program_day_idx" ON "visits" USING btree ("program_id","day");--> statement-breakpoint
-- Row-level security for events and participation (see 0006 for the functions).
-- Occurrences are public like the directory: anyone reads, the organisation writes.
ALTER TABLE occurrences ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE occurrences FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY occurrences_read ON occurrences FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY occurrences_write ON occurrences FOR ALL USING (app_in_org(organization_id))
	WITH CHECK (app_in_org(organization_id) AND app_program_writable(program_id));
--> statement-breakpoint
-- Registrations name residents: only the organisation that holds them (not the whole
-- secretariat: need to know) and the platform, which acts for a resident's own link.
ALTER TABLE registrations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE registrations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY registrations_access ON registrations FOR ALL
	USING (app_is_system() OR organization_id = ANY(app_org_ids()))
	WITH CHECK (app_is_system() OR organization_id = ANY(app_org_ids()));
--> statement-breakpoint
-- Cards are pseudonymous; an organisation sees a card only once its holder allowed it.
ALTER TABLE participation_cards ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE participation_cards FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY participation_cards_read ON participation_cards FOR SELECT USING (
	app_is_system()
	OR EXISTS (SELECT 1 FROM card_consents c WHERE c.card_id = participation_cards.id AND c.organization_id = ANY(app_org_ids())));
--> statement-breakpoint
CREATE POLICY participation_cards_write ON participation_cards FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
--> statement-breakpoint
ALTER TABLE card_consents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE card_consents FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY card_consents_read ON card_consents FOR SELECT USING (app_is_system() OR organization_id = ANY(app_org_ids()));
--> statement-breakpoint
CREATE POLICY card_consents_write ON card_consents FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
--> statement-breakpoint
-- Visits are pseudonymous counts: the organisation records and reads its own, the secretariat
-- reads the region's (figures), the platform aggregates public figures.
ALTER TABLE visits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE visits FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY visits_read ON visits FOR SELECT USING (app_in_org(organization_id));
--> statement-breakpoint
CREATE POLICY visits_insert ON visits FOR INSERT WITH CHECK (
	(app_is_system() OR organization_id = ANY(app_org_ids())) AND app_program_writable(program_id));
--> statement-breakpoint
CREATE POLICY visits_change ON visits FOR UPDATE USING (app_is_system() OR organization_id = ANY(app_org_ids()))
	WITH CHECK (app_is_system() OR organization_id = ANY(app_org_ids()));
--> statement-breakpoint
CREATE POLICY visits_delete ON visits FOR DELETE USING (app_is_system() OR organization_id = ANY(app_org_ids()));
