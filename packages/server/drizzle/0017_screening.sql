CREATE TABLE "eligibility_appeals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"against" text NOT NULL,
	"lodged_at" timestamp with time zone NOT NULL,
	"lodged_by" jsonb NOT NULL,
	"grounds" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"status" text NOT NULL,
	"lodged_seq" bigint NOT NULL,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"decided_by" text,
	"decided_seq" bigint
);
--> statement-breakpoint
CREATE TABLE "eligibility_revocations" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"revoked_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "screenings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"screened_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"verified_count" integer NOT NULL,
	"membership_verified" boolean NOT NULL,
	"excluded" boolean NOT NULL,
	"answers" jsonb NOT NULL,
	"indications" jsonb NOT NULL,
	"notes" text,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "eligibility_appeals_person" ON "eligibility_appeals" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "eligibility_revocations_person" ON "eligibility_revocations" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "screenings_person" ON "screenings" USING btree ("person_id","seq");