CREATE TABLE "discrepancies" (
	"id" text PRIMARY KEY NOT NULL,
	"transfer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"item_kind" text,
	"item_id" uuid,
	"detail" jsonb NOT NULL,
	"status" text NOT NULL,
	"opened_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dispositions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"site_id" uuid NOT NULL,
	"method" text,
	"at" timestamp with time zone NOT NULL,
	"item_count" integer NOT NULL,
	"independent_witnesses" integer NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seals" (
	"seal" text PRIMARY KEY NOT NULL,
	"transfer_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfer_items" (
	"transfer_id" uuid NOT NULL,
	"item_kind" text NOT NULL,
	"item_id" uuid NOT NULL,
	CONSTRAINT "transfer_items_transfer_id_item_kind_item_id_pk" PRIMARY KEY("transfer_id","item_kind","item_id")
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"from_site_id" uuid NOT NULL,
	"to_site_id" uuid NOT NULL,
	"manifest" text NOT NULL,
	"seals" jsonb NOT NULL,
	"vehicle" text,
	"count_at_dispatch" integer NOT NULL,
	"dispatched_at" timestamp with time zone NOT NULL,
	"dispatched_by" text NOT NULL,
	"dispatch_seq" bigint NOT NULL,
	"status" text NOT NULL,
	"count_at_receipt" integer,
	"received_at" timestamp with time zone,
	"received_by" text,
	"receipt_seq" bigint
);
--> statement-breakpoint
ALTER TABLE "ammunition_lots" ADD COLUMN "state" text DEFAULT 'in_custody' NOT NULL;--> statement-breakpoint
-- Existing items are held where they were collected.
ALTER TABLE "ammunition_lots" ADD COLUMN "holder_site_id" uuid;--> statement-breakpoint
UPDATE "ammunition_lots" SET "holder_site_id" = "site_id";--> statement-breakpoint
ALTER TABLE "ammunition_lots" ALTER COLUMN "holder_site_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "ammunition_lots" ADD COLUMN "location" jsonb;--> statement-breakpoint
ALTER TABLE "ammunition_lots" ADD COLUMN "transfer_id" uuid;--> statement-breakpoint
ALTER TABLE "ammunition_lots" ADD COLUMN "flagged" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "weapon_items" ADD COLUMN "state" text DEFAULT 'in_custody' NOT NULL;--> statement-breakpoint
-- Existing items are held where they were collected.
ALTER TABLE "weapon_items" ADD COLUMN "holder_site_id" uuid;--> statement-breakpoint
UPDATE "weapon_items" SET "holder_site_id" = "site_id";--> statement-breakpoint
ALTER TABLE "weapon_items" ALTER COLUMN "holder_site_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "weapon_items" ADD COLUMN "location" jsonb;--> statement-breakpoint
ALTER TABLE "weapon_items" ADD COLUMN "transfer_id" uuid;--> statement-breakpoint
ALTER TABLE "weapon_items" ADD COLUMN "flagged" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "weapon_items_state" ON "weapon_items" USING btree ("state","category");