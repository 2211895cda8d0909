-- A search near a place finds a program by any of its places, not only its first (issue 15,
-- src/lib/server/directory/finder/search.ts withinRadius): the places' latitude/longitude box is
-- read on this index, as programs' own points are on programs_lat_lng_idx (0018).
CREATE INDEX "locations_lat_lng_idx" ON "locations" USING btree ("lat","lng");
