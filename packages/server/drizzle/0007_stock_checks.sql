CREATE TABLE "loss_investigations" (
	"id" text PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"origin" text NOT NULL,
	"origin_id" text NOT NULL,
	"reason" text NOT NULL,
	"item_kind" text,
	"item_id" uuid,
	"category" text,
	"quantity" integer,
	"status" text NOT NULL,
	"outcome" text,
	"opened_seq" bigint NOT NULL,
	"updated_seq" bigint NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "stock_checks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"started_by" text NOT NULL,
	"start_seq" bigint NOT NULL,
	"seed" text NOT NULL,
	"expected_count" integer NOT NULL,
	"expected_counts" jsonb NOT NULL,
	"out_of_store" integer NOT NULL,
	"sample" jsonb NOT NULL,
	"completed_at" timestamp with time zone,
	"recorded_by" text,
	"record_seq" bigint,
	"counts" jsonb,
	"findings" jsonb
);
--> statement-breakpoint
CREATE INDEX "loss_investigations_status" ON "loss_investigations" USING btree ("status","opened_seq");--> statement-breakpoint
CREATE INDEX "stock_checks_site" ON "stock_checks" USING btree ("site_id","start_seq");