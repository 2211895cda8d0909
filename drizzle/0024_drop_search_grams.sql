-- The finder matches words on search_gram_ids since 0023 (finder/text.ts); search_grams, the same
-- grams as text, and its GIN index were still written on every save but no longer read (142 MB of
-- index at 100,000 programs, bench/RESULTS.md 2026-12-03). Dropping both is a catalogue change:
-- the index's file goes at once; the column's values stay in the rows (and their TOAST) until each
-- row is next written, as a save or a rebuild of the program index does.
-- Characters beyond the BMP, which share gram ids, are confirmed on search_title, search_tags and
-- search_body, not on these grams.
DROP INDEX "programs_search_grams_idx";--> statement-breakpoint
ALTER TABLE "programs" DROP COLUMN "search_grams";
