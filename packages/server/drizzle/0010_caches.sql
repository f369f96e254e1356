CREATE TABLE "caches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"governorate" text NOT NULL,
	"group_id" uuid,
	"declared_contents" jsonb NOT NULL,
	"status" text NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"report_seq" bigint NOT NULL,
	"verified_at" timestamp with time zone,
	"cleared_at" timestamp with time zone,
	"residue_reason" text,
	"updated_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "caches_status" ON "caches" USING btree ("status","governorate");