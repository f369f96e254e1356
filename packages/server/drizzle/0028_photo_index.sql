ALTER TABLE "persons" ADD COLUMN "photo_index" text;--> statement-breakpoint
CREATE INDEX "persons_photo" ON "persons" USING btree ("photo_index");