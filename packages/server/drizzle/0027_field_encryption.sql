CREATE TABLE "data_keys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "data_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"wrapped" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"destroyed_at" timestamp with time zone,
	CONSTRAINT "data_keys_destroyed_erased" CHECK (("data_keys"."destroyed_at" is null) = ("data_keys"."wrapped" is not null))
);
--> statement-breakpoint
DROP INDEX "persons_national_id";--> statement-breakpoint
ALTER TABLE "group_roster_entries" ALTER COLUMN "name" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "group_roster_entries" ALTER COLUMN "mother_name" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "persons" ALTER COLUMN "name" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "persons" ALTER COLUMN "mother_name" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "persons" ALTER COLUMN "birth_date" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "national_id_index" text;--> statement-breakpoint
CREATE UNIQUE INDEX "data_keys_one_alive" ON "data_keys" USING btree ((true)) WHERE "data_keys"."destroyed_at" is null;--> statement-breakpoint
CREATE INDEX "persons_national_id" ON "persons" USING btree ("national_id_index");