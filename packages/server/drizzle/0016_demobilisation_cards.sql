CREATE TABLE "demobilisation_cards" (
	"number" text PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"status" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_seq" bigint NOT NULL,
	"replaces" text,
	"reissue_reason" text,
	"ended_at" timestamp with time zone,
	"replaced_by" text,
	"updated_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "demobilisation_cards_person" ON "demobilisation_cards" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "demobilisation_cards_one_active" ON "demobilisation_cards" USING btree ("person_id") WHERE "demobilisation_cards"."status" = 'active';