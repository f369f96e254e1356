DROP INDEX "pathways_service_number";--> statement-breakpoint
ALTER TABLE "eligibility_appeals" ALTER COLUMN "lodged_by" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "eligibility_appeals" ALTER COLUMN "evidence" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "pathways" ALTER COLUMN "offer" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "persons" ALTER COLUMN "screening" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "persons" ALTER COLUMN "vetting_flags" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "persons" ALTER COLUMN "consent" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "screenings" ALTER COLUMN "answers" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "screenings" ALTER COLUMN "indications" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "pathways" ADD COLUMN "service_number_index" text;--> statement-breakpoint
CREATE INDEX "pathways_service_number" ON "pathways" USING btree ("force","service_number_index");