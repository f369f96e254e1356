CREATE TABLE "store_access" (
	"id" uuid PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"removed_at" timestamp with time zone NOT NULL,
	"due_back" timestamp with time zone,
	"authorised_by" text NOT NULL,
	"removed_seq" bigint NOT NULL,
	"status" text NOT NULL,
	"item_count" integer NOT NULL,
	"returned_count" integer NOT NULL,
	"last_returned_at" timestamp with time zone,
	"last_return_seq" bigint
);
--> statement-breakpoint
CREATE TABLE "store_access_items" (
	"access_id" uuid NOT NULL,
	"item_kind" text NOT NULL,
	"item_id" uuid NOT NULL,
	"returned_at" timestamp with time zone,
	"return_seq" bigint,
	CONSTRAINT "store_access_items_access_id_item_kind_item_id_pk" PRIMARY KEY("access_id","item_kind","item_id")
);
--> statement-breakpoint
CREATE INDEX "store_access_site" ON "store_access" USING btree ("site_id","removed_seq");