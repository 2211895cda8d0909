-- The finder's grams as integers (issue 15, national scale; src/lib/server/directory/finder/text.ts):
-- each candidate row's gram check read a text[] of ~310 grams out of line and tested every spelling
-- of a word with its own `@>` (13 for 相談 and its synonyms, ~55 µs a row at 100,000 programs).
-- intarray's `@@` tests a spelling by binary search, on an array a third of the size,
-- and its GIN opclass answers the same query from the index. intarray is a trusted extension
-- (PostgreSQL 13+): the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS intarray;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "search_gram_ids" integer[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
-- area_codes is read row by row (the prefecture filter, a place's radius) but was left out of line
-- with the long texts (0002 keeps the finder's fields in line with STORAGE MAIN; 0016 added
-- area_codes without it): four more buffers for each candidate — q=不登校 & prefecture=東京都 read
-- 24,000 buffers for its 4,989 candidates instead of 4,900, 85 → 16 ms at 100,000 programs.
-- (search_gram_ids stays out of line: kept in line it grew the heap by half for no measurable gain.)
ALTER TABLE "programs" ALTER COLUMN "area_codes" SET STORAGE MAIN;--> statement-breakpoint
-- Existing rows get their ids (and area_codes in line) when start-up rebuilds the rows of an older
-- build of the program index (PROGRAM_INDEX_VERSION 2, directory/save.ts; reindexStalePrograms).
CREATE INDEX "programs_search_gram_ids_idx" ON "programs" USING gin ("search_gram_ids" gin__int_ops);
