CREATE TABLE "checkpoints" (
	"size" bigint PRIMARY KEY NOT NULL,
	"root_hash" text NOT NULL,
	"note" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cosignatures" (
	"size" bigint NOT NULL,
	"witness" text NOT NULL,
	"line" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cosignatures_size_witness_pk" PRIMARY KEY("size","witness")
);
--> statement-breakpoint
CREATE TABLE "log_tiles" (
	"level" smallint NOT NULL,
	"idx" bigint NOT NULL,
	"width" smallint NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "log_tiles_level_idx_pk" PRIMARY KEY("level","idx"),
	CONSTRAINT "log_tiles_width" CHECK ("log_tiles"."width" between 1 and 256)
);
