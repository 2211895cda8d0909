ALTER TABLE "registration_notices" DROP CONSTRAINT "registration_notices_kind";--> statement-breakpoint
ALTER TABLE "registration_notices" ADD COLUMN "attempts" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "registration_notices" ADD COLUMN "last_tried_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "line_link_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "registration_notices" ADD CONSTRAINT "registration_notices_kind" CHECK ("registration_notices"."kind" in ('confirmation','reminder','promoted','cancelled','moved','restored'));