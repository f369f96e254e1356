CREATE TABLE "group_roster_entries" (
	"group_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"position" integer NOT NULL,
	"member_number" text NOT NULL,
	"name" jsonb NOT NULL,
	"mother_name" jsonb,
	"birth_year" integer,
	"sex" text,
	"governorate" text,
	CONSTRAINT "group_roster_entries_group_id_version_position_pk" PRIMARY KEY("group_id","version","position")
);
--> statement-breakpoint
CREATE TABLE "group_rosters" (
	"group_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"submitted_on" date NOT NULL,
	"entry_count" integer NOT NULL,
	"added" integer NOT NULL,
	"removed" integer NOT NULL,
	"entries_hash" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "group_rosters_group_id_version_pk" PRIMARY KEY("group_id","version")
);
