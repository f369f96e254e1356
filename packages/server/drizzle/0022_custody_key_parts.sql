CREATE TABLE "key_parts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"weapon_id" uuid NOT NULL,
	"part" text NOT NULL,
	"serial" text,
	"separated_at" timestamp with time zone NOT NULL,
	"separated_seq" bigint NOT NULL,
	"site_id" uuid NOT NULL,
	"state" text DEFAULT 'in_custody' NOT NULL,
	"holder_site_id" uuid NOT NULL,
	"location" jsonb,
	"transfer_id" uuid,
	"custody_since" timestamp with time zone,
	"flagged" boolean DEFAULT false NOT NULL,
	"updated_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "key_parts_weapon" ON "key_parts" USING btree ("weapon_id");--> statement-breakpoint
CREATE INDEX "loss_investigations_item" ON "loss_investigations" USING btree ("item_kind","item_id","opened_seq");