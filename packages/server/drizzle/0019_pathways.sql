CREATE TABLE "group_party_history" (
	"group_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"from_status" text NOT NULL,
	"status" text NOT NULL,
	"name_ar" text,
	"name_en" text,
	"reference" text NOT NULL,
	"decided_by" text NOT NULL,
	"decided_on" date NOT NULL,
	"reason" text,
	CONSTRAINT "group_party_history_group_id_seq_pk" PRIMARY KEY("group_id","seq")
);
--> statement-breakpoint
CREATE TABLE "group_status_history" (
	"group_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"from_status" text NOT NULL,
	"status" text NOT NULL,
	"reference" text NOT NULL,
	"decided_by" text NOT NULL,
	"decided_on" date NOT NULL,
	"reason" text,
	CONSTRAINT "group_status_history_group_id_seq_pk" PRIMARY KEY("group_id","seq")
);
--> statement-breakpoint
CREATE TABLE "pathway_follow_ups" (
	"pathway_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"followed_up_on" date NOT NULL,
	"due" date,
	"status" text NOT NULL,
	"note" text,
	CONSTRAINT "pathway_follow_ups_pathway_id_seq_pk" PRIMARY KEY("pathway_id","seq")
);
--> statement-breakpoint
CREATE TABLE "pathways" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"active" boolean NOT NULL,
	"group_id" uuid,
	"offer" jsonb NOT NULL,
	"force" text,
	"unit" text,
	"vetting" text NOT NULL,
	"vetting_reference" text,
	"vetted_on" date,
	"offered_on" date NOT NULL,
	"responded_on" date,
	"decline_reason" text,
	"placed_on" date,
	"service_number" text,
	"membership_number" text,
	"placement" text,
	"left_on" date,
	"left_reason" text,
	"follow_up_schedule" jsonb NOT NULL,
	"follow_ups_done" integer DEFAULT 0 NOT NULL,
	"next_follow_up_due" date,
	"last_follow_up_on" date,
	"last_follow_up_status" text,
	"offered_seq" bigint NOT NULL,
	"updated_seq" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "armed_groups" ADD COLUMN "status" text DEFAULT 'armed' NOT NULL;--> statement-breakpoint
ALTER TABLE "armed_groups" ADD COLUMN "status_decided_on" date;--> statement-breakpoint
ALTER TABLE "armed_groups" ADD COLUMN "party_name_ar" text;--> statement-breakpoint
ALTER TABLE "armed_groups" ADD COLUMN "party_name_en" text;--> statement-breakpoint
ALTER TABLE "armed_groups" ADD COLUMN "party_status" text;--> statement-breakpoint
ALTER TABLE "armed_groups" ADD COLUMN "party_status_on" date;--> statement-breakpoint
CREATE INDEX "pathways_person" ON "pathways" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "pathways_next_follow_up" ON "pathways" USING btree ("next_follow_up_due");--> statement-breakpoint
CREATE INDEX "pathways_service_number" ON "pathways" USING btree ("force","service_number");