CREATE TABLE "duplicate_reviews" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"opened_seq" bigint NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"registered_by" text NOT NULL,
	"matches" jsonb NOT NULL,
	"decided_seq" bigint,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"reason" text,
	"merged_into" uuid
);
--> statement-breakpoint
CREATE TABLE "person_name_counts" (
	"field" text NOT NULL,
	"key" integer NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "person_name_counts_field_key_pk" PRIMARY KEY("field","key")
);
--> statement-breakpoint
CREATE TABLE "person_name_keys" (
	"key" integer NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "person_name_keys_key_person_id_pk" PRIMARY KEY("key","person_id")
);
--> statement-breakpoint
CREATE INDEX "duplicate_reviews_status" ON "duplicate_reviews" USING btree ("status","opened_seq");--> statement-breakpoint
CREATE INDEX "person_name_keys_person" ON "person_name_keys" USING btree ("person_id");