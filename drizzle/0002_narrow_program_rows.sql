-- Keep program rows narrow so that the finder, which visits every candidate row, reads few pages:
-- the long texts it never reads per row (description, summary, outcomes, the gram array) move out
-- of line as soon as a row passes 128 bytes, while the fields it reads per row stay in line.
ALTER TABLE "programs" SET (toast_tuple_target = 128);--> statement-breakpoint
ALTER TABLE "programs"
	ALTER COLUMN "title" SET STORAGE MAIN,
	ALTER COLUMN "slug" SET STORAGE MAIN,
	ALTER COLUMN "search_title" SET STORAGE MAIN,
	ALTER COLUMN "search_tags" SET STORAGE MAIN,
	ALTER COLUMN "search_body" SET STORAGE MAIN,
	ALTER COLUMN "areas" SET STORAGE MAIN,
	ALTER COLUMN "weekdays" SET STORAGE MAIN,
	ALTER COLUMN "forms" SET STORAGE MAIN,
	ALTER COLUMN "targets" SET STORAGE MAIN,
	ALTER COLUMN "life_stages" SET STORAGE MAIN,
	ALTER COLUMN "languages" SET STORAGE MAIN;--> statement-breakpoint
-- Rows written before this migration take the new layout when rewritten.
UPDATE "programs" SET "title" = "title";
