CREATE TABLE "ammunition_lots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tag" text NOT NULL,
	"handover_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"calibre_or_type" text NOT NULL,
	"quantity" bigint NOT NULL,
	"unit" text NOT NULL,
	"lot_mark" text,
	"headstamp" text,
	"hazard_division" text,
	"condition" text NOT NULL,
	"safe_to_move" boolean NOT NULL,
	"destroyed_in_situ" boolean NOT NULL,
	"photos" jsonb NOT NULL,
	"source" text NOT NULL,
	"site_id" uuid NOT NULL,
	"updated_seq" bigint NOT NULL,
	CONSTRAINT "ammunition_lots_tag_unique" UNIQUE("tag")
);
--> statement-breakpoint
CREATE TABLE "anomalies" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"raised_seq" bigint NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"related" jsonb NOT NULL,
	"detail" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "armed_groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name_ar" text NOT NULL,
	"name_en" text NOT NULL,
	"aliases" jsonb NOT NULL,
	"umbrella_id" uuid,
	"governorates" jsonb NOT NULL,
	"units" jsonb NOT NULL,
	"liaison_officers" jsonb NOT NULL,
	"registered_seq" bigint NOT NULL,
	"updated_seq" bigint NOT NULL,
	CONSTRAINT "armed_groups_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "corrections" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"corrects" bigint NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"changes" jsonb NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_private" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"salt" text NOT NULL,
	"data" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"command_id" uuid NOT NULL,
	"command_hash" text NOT NULL,
	"actor" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"entry" text NOT NULL,
	"leaf_hash" text NOT NULL,
	CONSTRAINT "events_command_id_unique" UNIQUE("command_id")
);
--> statement-breakpoint
CREATE TABLE "group_declarations" (
	"group_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"as_of" date NOT NULL,
	"men" integer NOT NULL,
	"women" integer NOT NULL,
	"boys" integer NOT NULL,
	"girls" integer NOT NULL,
	"arsenal" jsonb NOT NULL,
	"declared_caches" integer NOT NULL,
	"note" text,
	"seq" bigint NOT NULL,
	CONSTRAINT "group_declarations_group_id_version_pk" PRIMARY KEY("group_id","version")
);
--> statement-breakpoint
CREATE TABLE "handovers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"receipt_number" text NOT NULL,
	"site_id" uuid NOT NULL,
	"handed_at" timestamp with time zone NOT NULL,
	"from_kind" text NOT NULL,
	"person_id" uuid,
	"group_id" uuid,
	"governorate" text NOT NULL,
	"representative" text,
	"receiving_officer" text NOT NULL,
	"verifying_officer" jsonb NOT NULL,
	"witnesses" jsonb NOT NULL,
	"photos" jsonb NOT NULL,
	"notes" text,
	"eligibility_status" text NOT NULL,
	"eligibility_reasons" jsonb NOT NULL,
	CONSTRAINT "handovers_seq_unique" UNIQUE("seq"),
	CONSTRAINT "handovers_receipt_number_unique" UNIQUE("receipt_number")
);
--> statement-breakpoint
CREATE TABLE "ledger_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"size" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "ledger_state_single_row" CHECK ("ledger_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" jsonb NOT NULL,
	"mother_name" jsonb,
	"birth_date" date,
	"birth_year" integer,
	"sex" text NOT NULL,
	"governorate" text NOT NULL,
	"group_id" uuid,
	"role" text,
	"national_id" text,
	"photo" text,
	"listed_by_group" boolean NOT NULL,
	"screening" jsonb NOT NULL,
	"vetting_flags" jsonb NOT NULL,
	"consent" jsonb NOT NULL,
	"registered_on" date NOT NULL,
	"age_group" text NOT NULL,
	"eligible" boolean DEFAULT false NOT NULL,
	"registered_seq" bigint NOT NULL,
	"updated_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"config" jsonb NOT NULL,
	"configured_seq" bigint NOT NULL,
	CONSTRAINT "programme_single_row" CHECK ("programme"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "record_history" (
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "record_history_kind_id_seq_pk" PRIMARY KEY("kind","id","seq")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"name_ar" text NOT NULL,
	"name_en" text NOT NULL,
	"governorate" text NOT NULL,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"registered_seq" bigint NOT NULL,
	"updated_seq" bigint NOT NULL,
	CONSTRAINT "sites_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"scope" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "weapon_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tag" text NOT NULL,
	"handover_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"position" integer NOT NULL,
	"category" text NOT NULL,
	"type" text NOT NULL,
	"make" text,
	"model" text,
	"calibre" text,
	"serial" text,
	"serial_key" text,
	"no_readable_serial" boolean NOT NULL,
	"component_serials" jsonb NOT NULL,
	"country_of_manufacture" text,
	"year_of_manufacture" integer,
	"markings" jsonb NOT NULL,
	"altered_marks" boolean NOT NULL,
	"condition" text NOT NULL,
	"serviceable" boolean NOT NULL,
	"photos" jsonb NOT NULL,
	"source" text NOT NULL,
	"list_check" text NOT NULL,
	"site_id" uuid NOT NULL,
	"updated_seq" bigint NOT NULL,
	CONSTRAINT "weapon_items_tag_unique" UNIQUE("tag")
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_private" ADD CONSTRAINT "event_private_seq_events_seq_fk" FOREIGN KEY ("seq") REFERENCES "public"."events"("seq") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ammunition_lots_handover" ON "ammunition_lots" USING btree ("handover_id");--> statement-breakpoint
CREATE INDEX "anomalies_raised" ON "anomalies" USING btree ("raised_seq");--> statement-breakpoint
CREATE INDEX "handovers_person" ON "handovers" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "handovers_site" ON "handovers" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "persons_group" ON "persons" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "persons_site" ON "persons" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "persons_national_id" ON "persons" USING btree ("national_id");--> statement-breakpoint
CREATE INDEX "record_history_seq" ON "record_history" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "weapon_items_serial_key" ON "weapon_items" USING btree ("serial_key");--> statement-breakpoint
CREATE INDEX "weapon_items_handover" ON "weapon_items" USING btree ("handover_id");