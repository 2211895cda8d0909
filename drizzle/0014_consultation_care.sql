CREATE TABLE "consultation_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"thread_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"recipient_user_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"level" smallint NOT NULL,
	"via" text NOT NULL,
	"delivery" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consultation_alerts_reason" CHECK ("consultation_alerts"."reason" in ('urgent','escalation')),
	CONSTRAINT "consultation_alerts_via" CHECK ("consultation_alerts"."via" in ('mail','line')),
	CONSTRAINT "consultation_alerts_delivery" CHECK ("consultation_alerts"."delivery" in ('pending','sent','failed'))
);
--> statement-breakpoint
CREATE TABLE "consultation_rota" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"line_user_id_sealed" text,
	"line_link_digest" text,
	"line_link_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultation_settings" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"escalation_minutes" integer DEFAULT 10 NOT NULL,
	"auto_reply" jsonb,
	"draft_assist" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "consultation_settings_escalation_minutes" CHECK ("consultation_settings"."escalation_minutes" between 1 and 1440)
);
--> statement-breakpoint
CREATE TABLE "triage_rule_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" text NOT NULL,
	"rules" jsonb NOT NULL,
	"note" text,
	"measured" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone,
	"activated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "consultation_threads" ADD COLUMN "first_opened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consultation_threads" ADD COLUMN "escalation_level" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "consultation_threads" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consultation_threads" ADD COLUMN "anonymised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consultation_alerts" ADD CONSTRAINT "consultation_alerts_thread_fk" FOREIGN KEY ("thread_id","organization_id") REFERENCES "public"."consultation_threads"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_rota" ADD CONSTRAINT "consultation_rota_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_settings" ADD CONSTRAINT "consultation_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consultation_alerts_thread_idx" ON "consultation_alerts" USING btree ("thread_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_rota_member_key" ON "consultation_rota" USING btree ("organization_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_rota_line_link_key" ON "consultation_rota" USING btree ("line_link_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "triage_rule_versions_version_key" ON "triage_rule_versions" USING btree ("version");--> statement-breakpoint
CREATE INDEX "triage_rule_versions_activated_idx" ON "triage_rule_versions" USING btree ("activated_at");--> statement-breakpoint
CREATE INDEX "consultation_threads_unopened_urgent_idx" ON "consultation_threads" USING btree ("created_at") WHERE "consultation_threads"."urgent" and "consultation_threads"."first_opened_at" is null and "consultation_threads"."status" <> 'closed';--> statement-breakpoint
CREATE INDEX "consultation_threads_retention_idx" ON "consultation_threads" USING btree ("closed_at") WHERE "consultation_threads"."anonymised_at" is null and "consultation_threads"."status" = 'closed';--> statement-breakpoint
-- Row-level security (functions in 0006, the one-evaluation form of 0010). Settings, the rota and
-- the alerts belong to the organisation whose consultations they serve: its context and the
-- platform's (the escalation job and the LINE link code run as the platform).
ALTER TABLE consultation_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consultation_settings FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY consultation_settings_access ON consultation_settings FOR ALL
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE consultation_rota ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consultation_rota FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY consultation_rota_access ON consultation_rota FOR ALL
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE consultation_alerts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consultation_alerts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY consultation_alerts_access ON consultation_alerts FOR ALL
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
-- Triage rules are the network's: the secretariat reviews and activates them, the platform reads
-- the active version for every message. No organisation's context sees the drafts.
ALTER TABLE triage_rule_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE triage_rule_versions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY triage_rule_versions_access ON triage_rule_versions FOR ALL
	USING ((SELECT app_is_system()) OR (SELECT app_is_secretariat()))
	WITH CHECK ((SELECT app_is_system()) OR (SELECT app_is_secretariat()));
