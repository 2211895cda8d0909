-- Issue 15, national scale: a relevance search with more than 1,000 matches takes its page from
-- each score's soonest programs, in relevance's own order within a score — next date, then title
-- (src/lib/server/directory/finder/search.ts, relevanceTiers). With the title in the index after
-- the date, that order is read as it is; on the date alone, every program sharing the page's last
-- date had to be read too (at 100,000 programs, up to 1,756 start at the same instant).
-- The new index serves everything the one on the date alone did (its leading column).
CREATE INDEX "programs_next_starts_title_idx" ON "programs" USING btree ("next_starts_at","title");--> statement-breakpoint
DROP INDEX "programs_next_starts_idx";
