CREATE TABLE "registration_numbers" (
	"number" text PRIMARY KEY NOT NULL,
	"item_kind" text NOT NULL,
	"item_id" uuid NOT NULL,
	"disposition_id" uuid NOT NULL
);
