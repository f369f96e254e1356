ALTER TABLE "persons" ADD COLUMN "eligibility_revoked" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "deceased_on" date;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "duplicate_review" text DEFAULT 'none' NOT NULL;