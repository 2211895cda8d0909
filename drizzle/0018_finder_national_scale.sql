-- The finder at national scale (issue 15, src/lib/server/directory/finder/search.ts): "soonest
-- first" is read in the order of the next date rather than by sorting every match; programs whose
-- next occurrence ended since the last date refresh are found by its end; a radius around a place
-- is read as a latitude/longitude box first; supporters' programs (counted beside every residents'
-- search) are few, so their count reads only them.
CREATE INDEX "programs_next_starts_idx" ON "programs" USING btree ("next_starts_at");--> statement-breakpoint
CREATE INDEX "programs_next_ends_idx" ON "programs" USING btree ("next_ends_at","following_starts_at");--> statement-breakpoint
CREATE INDEX "programs_lat_lng_idx" ON "programs" USING btree ("lat","lng");--> statement-breakpoint
CREATE INDEX "programs_supporters_idx" ON "programs" USING btree ("id") WHERE "programs"."audience" = 'supporters';