CREATE TABLE "ledger_tally" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"through_seq" bigint DEFAULT -1 NOT NULL,
	CONSTRAINT "ledger_tally_single_row" CHECK ("ledger_tally"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "ledger_tally_items" (
	"item_kind" text NOT NULL,
	"item_id" uuid NOT NULL,
	"category" text NOT NULL,
	"unit" text,
	"quantity" bigint,
	"group_key" text NOT NULL,
	"governorate" text NOT NULL,
	"handover_seq" bigint NOT NULL,
	CONSTRAINT "ledger_tally_items_item_kind_item_id_pk" PRIMARY KEY("item_kind","item_id")
);
