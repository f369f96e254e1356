ALTER TABLE "handovers" ADD COLUMN "cache_id" uuid;--> statement-breakpoint
CREATE INDEX "handovers_cache" ON "handovers" USING btree ("cache_id");