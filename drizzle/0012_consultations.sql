CREATE TABLE "consultation_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"thread_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"author" text NOT NULL,
	"author_user_id" uuid,
	"body_sealed" text NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consultation_messages_author" CHECK ("consultation_messages"."author" in ('person','counsellor','system'))
);
--> statement-breakpoint
CREATE TABLE "consultation_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"thread_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"author_user_id" uuid NOT NULL,
	"body_sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultation_threads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"crisis_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"rules_version" text,
	"assigned_to" uuid,
	"access_digest" text NOT NULL,
	"nickname_sealed" text,
	"contact_sealed" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_answered_at" timestamp with time zone,
	"last_message_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "consultation_threads_organization_key" UNIQUE("id","organization_id"),
	CONSTRAINT "consultation_threads_channel" CHECK ("consultation_threads"."channel" in ('web','line','staff')),
	CONSTRAINT "consultation_threads_status" CHECK ("consultation_threads"."status" in ('new','open','waiting','closed'))
);
--> statement-breakpoint
ALTER TABLE "consultation_messages" ADD CONSTRAINT "consultation_messages_thread_fk" FOREIGN KEY ("thread_id","organization_id") REFERENCES "public"."consultation_threads"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_notes" ADD CONSTRAINT "consultation_notes_thread_fk" FOREIGN KEY ("thread_id","organization_id") REFERENCES "public"."consultation_threads"("id","organization_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultation_threads" ADD CONSTRAINT "consultation_threads_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consultation_messages_thread_idx" ON "consultation_messages" USING btree ("thread_id","created_at");--> statement-breakpoint
CREATE INDEX "consultation_notes_thread_idx" ON "consultation_notes" USING btree ("thread_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_threads_access_key" ON "consultation_threads" USING btree ("access_digest");--> statement-breakpoint
CREATE INDEX "consultation_threads_inbox_idx" ON "consultation_threads" USING btree ("organization_id","status","urgent","last_message_at");--> statement-breakpoint
-- Row-level security for consultations (functions in 0006, the one-evaluation form of 0010).
-- A thread, its messages and its notes belong to the organisation the thread is addressed to:
-- only that organisation's context reads or writes them, and the platform's (a resident's private
-- link, checked by the module). Not the secretariat's network-wide standing: consultations are
-- need-to-know like registrations; the secretariat answers the network's one window as the
-- organisation that hosts it, in that organisation's context.
ALTER TABLE consultation_threads ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consultation_threads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY consultation_threads_access ON consultation_threads FOR ALL
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE consultation_messages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consultation_messages FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY consultation_messages_access ON consultation_messages FOR ALL
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
--> statement-breakpoint
-- Internal notes: the same (the platform's context is for key rotation and retention; the person's
-- link never reads notes, which the module's tests check).
ALTER TABLE consultation_notes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consultation_notes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY consultation_notes_access ON consultation_notes FOR ALL
	USING ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]))
	WITH CHECK ((SELECT app_is_system()) OR organization_id = ANY ((SELECT app_org_ids())::uuid[]));
