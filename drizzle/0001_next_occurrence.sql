ALTER TABLE "programs" ADD COLUMN "next_starts_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "next_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "following_starts_at" timestamp with time zone;--> statement-breakpoint
-- Fill the new columns for a database that already holds upcoming dates (the app refreshes them only when stale).
UPDATE "programs" p SET
	"next_starts_at" = (SELECT d."starts_at" FROM "program_upcoming_dates" d WHERE d."program_id" = p."id" ORDER BY d."starts_at" LIMIT 1),
	"next_ends_at" = (SELECT coalesce(d."ends_at", d."starts_at" + interval '2 hours') FROM "program_upcoming_dates" d WHERE d."program_id" = p."id" ORDER BY d."starts_at" LIMIT 1),
	"following_starts_at" = (SELECT d."starts_at" FROM "program_upcoming_dates" d WHERE d."program_id" = p."id" ORDER BY d."starts_at" OFFSET 1 LIMIT 1);
