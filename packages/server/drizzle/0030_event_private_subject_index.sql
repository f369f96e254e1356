ALTER TABLE "event_private" ADD COLUMN "subject_index" text;--> statement-breakpoint
CREATE INDEX "event_private_subject" ON "event_private" USING btree ("subject_index");