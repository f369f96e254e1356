CREATE TABLE "payment_confirmations" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"paid_count" integer NOT NULL,
	"failed_count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_exceptions" (
	"list_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"reasons" jsonb NOT NULL,
	CONSTRAINT "payment_exceptions_list_id_person_id_pk" PRIMARY KEY("list_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "payment_lines" (
	"reference" text PRIMARY KEY NOT NULL,
	"list_id" uuid,
	"schedule_id" uuid NOT NULL,
	"period" text NOT NULL,
	"person_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"channel" text NOT NULL,
	"account" text,
	"holder" text,
	"status" text NOT NULL,
	"paid_on" date,
	"confirmed_on" date,
	"created_seq" bigint NOT NULL,
	"confirmed_seq" bigint
);
--> statement-breakpoint
CREATE TABLE "payment_lists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"schedule_id" uuid NOT NULL,
	"period" text NOT NULL,
	"channel" text NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"line_count" integer NOT NULL,
	"total_minor" bigint NOT NULL,
	"exception_count" integer NOT NULL,
	"prepared_seq" bigint NOT NULL,
	"sent_at" timestamp with time zone,
	"sent_seq" bigint,
	"sent_file_sha256" text,
	"reconciled_seq" bigint
);
--> statement-breakpoint
CREATE TABLE "payment_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"period_length" text NOT NULL,
	"first_period" text NOT NULL,
	"last_period" text NOT NULL,
	"channel" text NOT NULL,
	"set_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_accounts" (
	"person_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"account" text NOT NULL,
	"holder" text,
	"set_seq" bigint NOT NULL,
	CONSTRAINT "payout_accounts_person_id_channel_pk" PRIMARY KEY("person_id","channel")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "payment_lines_once_per_period" ON "payment_lines" USING btree ("person_id","schedule_id","period") WHERE "payment_lines"."status" <> 'failed';--> statement-breakpoint
CREATE INDEX "payment_lines_list" ON "payment_lines" USING btree ("list_id");--> statement-breakpoint
CREATE INDEX "payment_lines_period" ON "payment_lines" USING btree ("schedule_id","period");--> statement-breakpoint
CREATE INDEX "payment_lists_period" ON "payment_lists" USING btree ("schedule_id","period");