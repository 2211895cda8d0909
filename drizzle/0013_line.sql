CREATE TABLE "consultation_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value_sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "line_people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_digest" text NOT NULL,
	"user_id_sealed" text NOT NULL,
	"following" boolean DEFAULT true NOT NULL,
	"followed_at" timestamp with time zone,
	"unfollowed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "line_webhook_events" (
	"webhook_event_id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "consultation_messages" ADD COLUMN "delivery" text;--> statement-breakpoint
ALTER TABLE "consultation_messages" ADD COLUMN "delivery_detail" text;--> statement-breakpoint
ALTER TABLE "consultation_messages" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consultation_threads" ADD COLUMN "line_person_id" uuid;--> statement-breakpoint
ALTER TABLE "line_people" ADD CONSTRAINT "line_people_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "line_people_user_digest_key" ON "line_people" USING btree ("user_digest");--> statement-breakpoint
CREATE INDEX "line_webhook_events_received_idx" ON "line_webhook_events" USING btree ("received_at");--> statement-breakpoint
ALTER TABLE "consultation_threads" ADD CONSTRAINT "consultation_threads_line_person_id_line_people_id_fk" FOREIGN KEY ("line_person_id") REFERENCES "public"."line_people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consultation_threads_line_person_idx" ON "consultation_threads" USING btree ("line_person_id","status");--> statement-breakpoint
ALTER TABLE "consultation_messages" ADD CONSTRAINT "consultation_messages_delivery" CHECK ("consultation_messages"."delivery" in ('pending','sent','failed'));--> statement-breakpoint
-- Row-level security for the LINE channel (functions in 0006, the one-evaluation form of 0010).
-- A LINE person belongs to the organisation that serves them (the one window when they first
-- wrote): its counsellors' context reads the sealed user id to push their answers; the webhook
-- runs in the platform's context (the LINE platform is no member of any organisation).
ALTER TABLE line_people ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE line_people FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY line_people_access ON line_people FOR ALL
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
-- Processed webhook event ids and the module's sealed secrets: the platform's context only.
ALTER TABLE line_webhook_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE line_webhook_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY line_webhook_events_access ON line_webhook_events FOR ALL
	USING ((SELECT app_is_system()))
	WITH CHECK ((SELECT app_is_system()));
--> statement-breakpoint
ALTER TABLE consultation_secrets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consultation_secrets FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY consultation_secrets_access ON consultation_secrets FOR ALL
	USING ((SELECT app_is_system()))
	WITH CHECK ((SELECT app_is_system()));
