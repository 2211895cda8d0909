CREATE TABLE "case_conferences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"owner_user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"agenda_sealed" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"participant_user_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_conferences_window" CHECK ("case_conferences"."ends_at" > "case_conferences"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "conference_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"description_sealed" text NOT NULL,
	"assignee_user_id" uuid NOT NULL,
	"assignee_organization_id" uuid NOT NULL,
	"due_on" date NOT NULL,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conference_participants" (
	"conference_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"owner_organization_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conference_participants_conference_id_user_id_pk" PRIMARY KEY("conference_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "conference_records" (
	"conference_id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"summary_sealed" text,
	"minutes_sealed" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"recipient_organization_id" uuid NOT NULL,
	"recipient_program_id" uuid,
	"items" text[] NOT NULL,
	"purpose" text NOT NULL,
	"valid_until" date,
	"requested_by" uuid,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"given_via" text,
	"given_at" timestamp with time zone,
	"recorded_by" uuid,
	"values_sealed" text,
	"refused_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_via" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consents_items" CHECK (cardinality("consents"."items") > 0 and "consents"."items" <@ array['name','contact','summary','needs']::text[]),
	CONSTRAINT "consents_given_via" CHECK ("consents"."given_via" in ('web','line','paper','spoken')),
	CONSTRAINT "consents_withdrawn_via" CHECK ("consents"."withdrawn_via" in ('web','line','paper','spoken')),
	CONSTRAINT "consents_given_or_refused" CHECK (not ("consents"."given_at" is not null and "consents"."refused_at" is not null)),
	CONSTRAINT "consents_given_has_channel" CHECK (("consents"."given_at" is null) = ("consents"."given_via" is null))
);
--> statement-breakpoint
CREATE TABLE "council_members" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	"added_by" uuid
);
--> statement-breakpoint
CREATE TABLE "data_subjects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"source_kind" text NOT NULL,
	"source_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "data_subjects_source_kind" CHECK ("data_subjects"."source_kind" in ('consultation','registration','card'))
);
--> statement-breakpoint
CREATE TABLE "provision_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_id" uuid NOT NULL,
	"provider_organization_id" uuid NOT NULL,
	"recipient_organization_id" uuid NOT NULL,
	"items" text[] NOT NULL,
	"sensitive" boolean DEFAULT false NOT NULL,
	"basis" text NOT NULL,
	"consent_id" uuid,
	"reason_sealed" text,
	"referral_id" uuid,
	"provided_by" uuid,
	"provided_at" timestamp with time zone DEFAULT now() NOT NULL,
	"keep_until" date NOT NULL,
	CONSTRAINT "provision_records_basis" CHECK ("provision_records"."basis" in ('consent','vital_interest','legal_duty','council')),
	CONSTRAINT "provision_records_consent_or_reason" CHECK (("provision_records"."basis" = 'consent' and "provision_records"."consent_id" is not null) or ("provision_records"."basis" <> 'consent' and "provision_records"."reason_sealed" is not null)),
	CONSTRAINT "provision_records_items" CHECK (cardinality("provision_records"."items") > 0 and "provision_records"."items" <@ array['name','contact','summary','needs']::text[]),
	CONSTRAINT "provision_records_keep_three_years" CHECK ("provision_records"."keep_until" >= ("provision_records"."provided_at" at time zone 'Asia/Tokyo')::date + interval '3 years')
);
--> statement-breakpoint
CREATE TABLE "regional_council" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"name" text NOT NULL,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	"declared_by" uuid,
	"ended_at" timestamp with time zone,
	CONSTRAINT "regional_council_one_row" CHECK ("regional_council"."id")
);
--> statement-breakpoint
CREATE TABLE "subject_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"body_sealed" text,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_on" date NOT NULL,
	"answered_at" timestamp with time zone,
	"answered_by" uuid,
	CONSTRAINT "subject_requests_kind" CHECK ("subject_requests"."kind" in ('disclosure','correction','deletion','stop')),
	CONSTRAINT "subject_requests_status" CHECK ("subject_requests"."status" in ('open','answered'))
);
--> statement-breakpoint
CREATE TABLE "referral_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"from_organization_id" uuid NOT NULL,
	"to_organization_id" uuid NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"actor_user_id" uuid,
	"actor_organization_id" uuid,
	"note_sealed" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_events_status" CHECK ("referral_events"."status" in ('sent','accepted','declined','redirected','first_contact','ongoing','completed','closed'))
);
--> statement-breakpoint
CREATE TABLE "referral_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"from_organization_id" uuid NOT NULL,
	"to_organization_id" uuid NOT NULL,
	"consent_id" uuid,
	"item" text NOT NULL,
	"value_sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_items_item" CHECK ("referral_items"."item" in ('name','contact','summary','needs'))
);
--> statement-breakpoint
CREATE TABLE "referral_queue" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"from_organization_id" uuid NOT NULL,
	"to_organization_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"waiting_since" timestamp with time zone NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	CONSTRAINT "referral_queue_reason" CHECK ("referral_queue"."reason" in ('not_accepted','no_first_contact'))
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_id" uuid NOT NULL,
	"from_organization_id" uuid NOT NULL,
	"to_organization_id" uuid NOT NULL,
	"to_program_id" uuid,
	"source_kind" text NOT NULL,
	"source_id" uuid,
	"referred_by" uuid NOT NULL,
	"status" text DEFAULT 'sent' NOT NULL,
	"outcome" text,
	"contact_preference" text NOT NULL,
	"basis" text NOT NULL,
	"consent_id" uuid,
	"items" text[] NOT NULL,
	"sensitive" boolean DEFAULT false NOT NULL,
	"redirect_organization_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone,
	"first_contact_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"follow_up_on" date,
	"follow_up_sent_at" timestamp with time zone,
	"consent_withdrawn_at" timestamp with time zone,
	CONSTRAINT "referrals_parties_key" UNIQUE("id","from_organization_id","to_organization_id"),
	CONSTRAINT "referrals_status" CHECK ("referrals"."status" in ('sent','accepted','declined','redirected','first_contact','ongoing','completed','closed')),
	CONSTRAINT "referrals_outcome" CHECK ("referrals"."outcome" in ('got_help','could_not_reach','no_capacity','no_longer_wanted')),
	CONSTRAINT "referrals_closed_has_outcome" CHECK ("referrals"."status" <> 'closed' or "referrals"."outcome" is not null),
	CONSTRAINT "referrals_contact_preference" CHECK ("referrals"."contact_preference" in ('phone','mail','line','self')),
	CONSTRAINT "referrals_source_kind" CHECK ("referrals"."source_kind" in ('consultation','registration','staff')),
	CONSTRAINT "referrals_basis" CHECK ("referrals"."basis" in ('consent','vital_interest','legal_duty','council')),
	CONSTRAINT "referrals_consent_basis" CHECK (("referrals"."basis" = 'consent') = ("referrals"."consent_id" is not null)),
	CONSTRAINT "referrals_items" CHECK (cardinality("referrals"."items") > 0 and "referrals"."items" <@ array['name','contact','summary','needs']::text[]),
	CONSTRAINT "referrals_other_organization" CHECK ("referrals"."from_organization_id" <> "referrals"."to_organization_id")
);
--> statement-breakpoint
ALTER TABLE "case_conferences" ADD CONSTRAINT "case_conferences_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_actions" ADD CONSTRAINT "conference_actions_conference_id_case_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."case_conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_participants" ADD CONSTRAINT "conference_participants_conference_id_case_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."case_conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_participants" ADD CONSTRAINT "conference_participants_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_records" ADD CONSTRAINT "conference_records_conference_id_case_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."case_conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_subject_id_data_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."data_subjects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_recipient_organization_id_organizations_id_fk" FOREIGN KEY ("recipient_organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_recipient_program_id_programs_id_fk" FOREIGN KEY ("recipient_program_id") REFERENCES "public"."programs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_members" ADD CONSTRAINT "council_members_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_subjects" ADD CONSTRAINT "data_subjects_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provision_records" ADD CONSTRAINT "provision_records_subject_id_data_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."data_subjects"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provision_records" ADD CONSTRAINT "provision_records_provider_organization_id_organizations_id_fk" FOREIGN KEY ("provider_organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provision_records" ADD CONSTRAINT "provision_records_recipient_organization_id_organizations_id_fk" FOREIGN KEY ("recipient_organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provision_records" ADD CONSTRAINT "provision_records_consent_id_consents_id_fk" FOREIGN KEY ("consent_id") REFERENCES "public"."consents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_requests" ADD CONSTRAINT "subject_requests_subject_id_data_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."data_subjects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_requests" ADD CONSTRAINT "subject_requests_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_events" ADD CONSTRAINT "referral_events_referral_fk" FOREIGN KEY ("referral_id","from_organization_id","to_organization_id") REFERENCES "public"."referrals"("id","from_organization_id","to_organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_items" ADD CONSTRAINT "referral_items_consent_id_consents_id_fk" FOREIGN KEY ("consent_id") REFERENCES "public"."consents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_items" ADD CONSTRAINT "referral_items_referral_fk" FOREIGN KEY ("referral_id","from_organization_id","to_organization_id") REFERENCES "public"."referrals"("id","from_organization_id","to_organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_queue" ADD CONSTRAINT "referral_queue_referral_fk" FOREIGN KEY ("referral_id","from_organization_id","to_organization_id") REFERENCES "public"."referrals"("id","from_organization_id","to_organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_subject_id_data_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."data_subjects"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_from_organization_id_organizations_id_fk" FOREIGN KEY ("from_organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_to_organization_id_organizations_id_fk" FOREIGN KEY ("to_organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_to_program_id_programs_id_fk" FOREIGN KEY ("to_program_id") REFERENCES "public"."programs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_consent_id_consents_id_fk" FOREIGN KEY ("consent_id") REFERENCES "public"."consents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_redirect_organization_id_organizations_id_fk" FOREIGN KEY ("redirect_organization_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_conferences_organization_idx" ON "case_conferences" USING btree ("organization_id","starts_at");--> statement-breakpoint
CREATE INDEX "case_conferences_participants_idx" ON "case_conferences" USING gin ("participant_user_ids");--> statement-breakpoint
CREATE INDEX "conference_actions_conference_idx" ON "conference_actions" USING btree ("conference_id","due_on");--> statement-breakpoint
CREATE INDEX "conference_actions_assignee_idx" ON "conference_actions" USING btree ("assignee_user_id","due_on");--> statement-breakpoint
CREATE INDEX "conference_participants_user_idx" ON "conference_participants" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "consents_subject_idx" ON "consents" USING btree ("subject_id","created_at");--> statement-breakpoint
CREATE INDEX "consents_organization_idx" ON "consents" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "data_subjects_source_key" ON "data_subjects" USING btree ("source_kind","source_id","organization_id");--> statement-breakpoint
CREATE INDEX "provision_records_provided_idx" ON "provision_records" USING btree ("provided_at");--> statement-breakpoint
CREATE INDEX "provision_records_subject_idx" ON "provision_records" USING btree ("subject_id","provided_at");--> statement-breakpoint
CREATE INDEX "subject_requests_organization_idx" ON "subject_requests" USING btree ("organization_id","status","due_on");--> statement-breakpoint
CREATE INDEX "subject_requests_subject_idx" ON "subject_requests" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "referral_events_referral_idx" ON "referral_events" USING btree ("referral_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_items_item_key" ON "referral_items" USING btree ("referral_id","item");--> statement-breakpoint
CREATE INDEX "referral_items_consent_idx" ON "referral_items" USING btree ("consent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_queue_reason_key" ON "referral_queue" USING btree ("referral_id","reason");--> statement-breakpoint
CREATE INDEX "referral_queue_open_idx" ON "referral_queue" USING btree ("queued_at") WHERE "referral_queue"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "referrals_from_idx" ON "referrals" USING btree ("from_organization_id","status","status_changed_at");--> statement-breakpoint
CREATE INDEX "referrals_to_idx" ON "referrals" USING btree ("to_organization_id","status","status_changed_at");--> statement-breakpoint
CREATE INDEX "referrals_subject_idx" ON "referrals" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "referrals_consent_idx" ON "referrals" USING btree ("consent_id");--> statement-breakpoint
CREATE INDEX "referrals_waiting_idx" ON "referrals" USING btree ("status_changed_at") WHERE "referrals"."status" in ('sent','accepted');--> statement-breakpoint
-- Row-level security (functions in 0006, the one-evaluation form of 0010).
-- Consent: a person's subjects, consents and requests belong to the organisation that holds them.
ALTER TABLE data_subjects ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE data_subjects FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY data_subjects_access ON data_subjects FOR ALL
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE consents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consents FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY consents_access ON consents FOR ALL
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE subject_requests ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE subject_requests FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY subject_requests_access ON subject_requests FOR ALL
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
-- Provision records (29条): seen by the provider, the recipient and the secretariat (which is shown
-- every sharing without consent); written by the provider; never changed or removed by an
-- organisation (only the platform's retention, after keep_until).
ALTER TABLE provision_records ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE provision_records FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY provision_records_read ON provision_records FOR SELECT
	USING ((SELECT app_is_system()) OR (SELECT app_is_secretariat()) OR provider_organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR recipient_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY provision_records_write ON provision_records FOR INSERT
	WITH CHECK ((SELECT app_is_system()) OR provider_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY provision_records_platform ON provision_records FOR UPDATE
	USING ((SELECT app_is_system()))
	WITH CHECK ((SELECT app_is_system()));
--> statement-breakpoint
CREATE POLICY provision_records_retention ON provision_records FOR DELETE
	USING ((SELECT app_is_system()));
--> statement-breakpoint
-- The 協議会 declaration is public (people are told their information may be exchanged there);
-- only the secretariat declares it and names its members.
ALTER TABLE regional_council ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE regional_council FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY regional_council_read ON regional_council FOR SELECT
	USING (true);
--> statement-breakpoint
CREATE POLICY regional_council_write ON regional_council FOR INSERT
	WITH CHECK ((SELECT app_is_system()) OR (SELECT app_is_secretariat()));
--> statement-breakpoint
CREATE POLICY regional_council_change ON regional_council FOR UPDATE
	USING ((SELECT app_is_system()) OR (SELECT app_is_secretariat()))
	WITH CHECK ((SELECT app_is_system()) OR (SELECT app_is_secretariat()));
--> statement-breakpoint
CREATE POLICY regional_council_remove ON regional_council FOR DELETE
	USING ((SELECT app_is_system()) OR (SELECT app_is_secretariat()));
--> statement-breakpoint
ALTER TABLE council_members ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE council_members FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY council_members_read ON council_members FOR SELECT
	USING (true);
--> statement-breakpoint
CREATE POLICY council_members_write ON council_members FOR INSERT
	WITH CHECK ((SELECT app_is_system()) OR (SELECT app_is_secretariat()));
--> statement-breakpoint
CREATE POLICY council_members_change ON council_members FOR UPDATE
	USING ((SELECT app_is_system()) OR (SELECT app_is_secretariat()))
	WITH CHECK ((SELECT app_is_system()) OR (SELECT app_is_secretariat()));
--> statement-breakpoint
CREATE POLICY council_members_remove ON council_members FOR DELETE
	USING ((SELECT app_is_system()) OR (SELECT app_is_secretariat()));
--> statement-breakpoint
-- Referrals: exactly the sending and the receiving organisation. The sender creates; both change
-- the status (the operations say who may make which step); only the platform deletes.
ALTER TABLE referrals ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE referrals FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY referrals_read ON referrals FOR SELECT
	USING ((SELECT app_is_system()) OR from_organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR to_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY referrals_send ON referrals FOR INSERT
	WITH CHECK ((SELECT app_is_system()) OR from_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY referrals_change ON referrals FOR UPDATE
	USING ((SELECT app_is_system()) OR from_organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR to_organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR from_organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR to_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY referrals_remove ON referrals FOR DELETE
	USING ((SELECT app_is_system()));
--> statement-breakpoint
-- The shared values: sealed for the receiver, written by the sender, erased by either (and by the
-- consent trigger below); never updated.
ALTER TABLE referral_items ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE referral_items FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY referral_items_read ON referral_items FOR SELECT
	USING ((SELECT app_is_system()) OR from_organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR to_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY referral_items_send ON referral_items FOR INSERT
	WITH CHECK ((SELECT app_is_system()) OR from_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY referral_items_erase ON referral_items FOR DELETE
	USING ((SELECT app_is_system()) OR from_organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR to_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE referral_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE referral_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY referral_events_read ON referral_events FOR SELECT
	USING ((SELECT app_is_system()) OR from_organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR to_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY referral_events_write ON referral_events FOR INSERT
	WITH CHECK ((SELECT app_is_system()) OR from_organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR to_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
-- The secretariat's queue names organisations and days only: the secretariat reads and resolves it;
-- the platform's job fills it.
ALTER TABLE referral_queue ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE referral_queue FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY referral_queue_read ON referral_queue FOR SELECT
	USING ((SELECT app_is_system()) OR (SELECT app_is_secretariat()) OR from_organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR to_organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY referral_queue_fill ON referral_queue FOR INSERT
	WITH CHECK ((SELECT app_is_system()));
--> statement-breakpoint
CREATE POLICY referral_queue_resolve ON referral_queue FOR UPDATE
	USING ((SELECT app_is_system()) OR (SELECT app_is_secretariat()))
	WITH CHECK ((SELECT app_is_system()) OR (SELECT app_is_secretariat()));
--> statement-breakpoint
CREATE POLICY referral_queue_remove ON referral_queue FOR DELETE
	USING ((SELECT app_is_system()));
--> statement-breakpoint
-- Withdrawing a consent takes effect at once, in the same transaction: the values shared under it
-- are erased and its referrals marked (runs in the withdrawing context: the holder's, which is the
-- referrals' sender, or the platform's for the person's own page).
CREATE OR REPLACE FUNCTION consents_withdrawn_erase_shared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM referral_items WHERE consent_id = NEW.id;
	UPDATE referrals SET consent_withdrawn_at = NEW.withdrawn_at WHERE consent_id = NEW.id AND consent_withdrawn_at IS NULL;
	RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER consents_withdrawn AFTER UPDATE OF withdrawn_at ON consents FOR EACH ROW
	WHEN (OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL) EXECUTE FUNCTION consents_withdrawn_erase_shared();
--> statement-breakpoint
-- Case conferences. participant_user_ids mirrors conference_participants (this trigger), so the
-- policies below read the conference row and never the participants table recursively.
CREATE OR REPLACE FUNCTION conference_participants_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	conference uuid;
BEGIN
	IF TG_OP = 'DELETE' THEN conference := OLD.conference_id; ELSE conference := NEW.conference_id; END IF;
	UPDATE case_conferences SET participant_user_ids = coalesce((SELECT array_agg(p.user_id ORDER BY p.user_id) FROM conference_participants p WHERE p.conference_id = conference), '{}'::uuid[]) WHERE id = conference;
	IF TG_OP = 'UPDATE' AND OLD.conference_id <> NEW.conference_id THEN
		UPDATE case_conferences SET participant_user_ids = coalesce((SELECT array_agg(p.user_id ORDER BY p.user_id) FROM conference_participants p WHERE p.conference_id = OLD.conference_id), '{}'::uuid[]) WHERE id = OLD.conference_id;
	END IF;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER conference_participants_sync AFTER INSERT OR UPDATE OR DELETE ON conference_participants FOR EACH ROW EXECUTE FUNCTION conference_participants_sync();
--> statement-breakpoint
ALTER TABLE case_conferences ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE case_conferences FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY case_conferences_read ON case_conferences FOR SELECT
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR (SELECT app_user_id()) = ANY (participant_user_ids));
--> statement-breakpoint
CREATE POLICY case_conferences_create ON case_conferences FOR INSERT
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY case_conferences_change ON case_conferences FOR UPDATE
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY case_conferences_remove ON case_conferences FOR DELETE
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE conference_participants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE conference_participants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY conference_participants_read ON conference_participants FOR SELECT
	USING ((SELECT app_is_system()) OR owner_organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR user_id = (SELECT app_user_id()) OR EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_id AND (SELECT app_user_id()) = ANY (c.participant_user_ids)));
--> statement-breakpoint
CREATE POLICY conference_participants_write ON conference_participants FOR ALL
	USING ((SELECT app_is_system()) OR (owner_organization_id = ANY ((SELECT app_org_ids())::uuid[]) AND EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_participants.conference_id AND c.organization_id = conference_participants.owner_organization_id)))
	WITH CHECK ((SELECT app_is_system()) OR (owner_organization_id = ANY ((SELECT app_org_ids())::uuid[]) AND EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_participants.conference_id AND c.organization_id = conference_participants.owner_organization_id)));
--> statement-breakpoint
-- The summary and the minutes: the participants during the window (now() is the transaction's
-- start), the owning organisation always, nobody else ever.
ALTER TABLE conference_records ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE conference_records FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY conference_records_read ON conference_records FOR SELECT
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_id AND (SELECT app_user_id()) = ANY (c.participant_user_ids) AND now() >= c.starts_at AND now() < c.ends_at));
--> statement-breakpoint
CREATE POLICY conference_records_write ON conference_records FOR INSERT
	WITH CHECK ((SELECT app_is_system()) OR ((organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_records.conference_id AND (SELECT app_user_id()) = ANY (c.participant_user_ids) AND now() >= c.starts_at AND now() < c.ends_at)) AND EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_records.conference_id AND c.organization_id = conference_records.organization_id)));
--> statement-breakpoint
CREATE POLICY conference_records_change ON conference_records FOR UPDATE
	USING ((SELECT app_is_system()) OR ((organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_records.conference_id AND (SELECT app_user_id()) = ANY (c.participant_user_ids) AND now() >= c.starts_at AND now() < c.ends_at)) AND EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_records.conference_id AND c.organization_id = conference_records.organization_id)))
	WITH CHECK ((SELECT app_is_system()) OR ((organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_records.conference_id AND (SELECT app_user_id()) = ANY (c.participant_user_ids) AND now() >= c.starts_at AND now() < c.ends_at)) AND EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_records.conference_id AND c.organization_id = conference_records.organization_id)));
--> statement-breakpoint
CREATE POLICY conference_records_remove ON conference_records FOR DELETE
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
-- Agreed actions: participants see them after the window too; added in the window; the assignee
-- marks their own done. Every write names the conference's owner as the row's organisation, so
-- no organisation can hang a record, a participant or an action on another's conference.
ALTER TABLE conference_actions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE conference_actions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY conference_actions_read ON conference_actions FOR SELECT
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_id AND (SELECT app_user_id()) = ANY (c.participant_user_ids)));
--> statement-breakpoint
CREATE POLICY conference_actions_add ON conference_actions FOR INSERT
	WITH CHECK ((SELECT app_is_system()) OR ((organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_actions.conference_id AND (SELECT app_user_id()) = ANY (c.participant_user_ids) AND now() >= c.starts_at AND now() < c.ends_at)) AND EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_actions.conference_id AND c.organization_id = conference_actions.organization_id)));
--> statement-breakpoint
CREATE POLICY conference_actions_change ON conference_actions FOR UPDATE
	USING ((SELECT app_is_system()) OR ((organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR assignee_user_id = (SELECT app_user_id())) AND EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_actions.conference_id AND c.organization_id = conference_actions.organization_id)))
	WITH CHECK ((SELECT app_is_system()) OR ((organization_id = ANY ((SELECT app_org_ids())::uuid[]) OR assignee_user_id = (SELECT app_user_id())) AND EXISTS (SELECT 1 FROM case_conferences c WHERE c.id = conference_actions.conference_id AND c.organization_id = conference_actions.organization_id)));
--> statement-breakpoint
CREATE POLICY conference_actions_remove ON conference_actions FOR DELETE
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
-- keys:rotate re-seals every encrypted column as the platform: the append-only tables let it.
CREATE POLICY referral_items_platform ON referral_items FOR UPDATE
	USING ((SELECT app_is_system())) WITH CHECK ((SELECT app_is_system()));
--> statement-breakpoint
CREATE POLICY referral_events_platform ON referral_events FOR UPDATE
	USING ((SELECT app_is_system())) WITH CHECK ((SELECT app_is_system()));
