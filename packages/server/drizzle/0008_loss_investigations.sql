ALTER TABLE "discrepancies" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "discrepancies" ADD COLUMN "resolved_seq" bigint;--> statement-breakpoint
ALTER TABLE "loss_investigations" ADD COLUMN "opened_at" timestamp with time zone;--> statement-breakpoint
UPDATE "loss_investigations" i SET "opened_at" = c."completed_at" FROM "stock_checks" c WHERE c."id"::text = i."origin_id";--> statement-breakpoint
ALTER TABLE "loss_investigations" ALTER COLUMN "opened_at" SET NOT NULL;--> statement-breakpoint
-- Receipts recorded before loss investigations existed: each missing item opens one, as the
-- projection now does, so that replaying the ledger and the live tables agree.
INSERT INTO "loss_investigations" ("id", "site_id", "origin", "origin_id", "reason", "item_kind", "item_id", "status", "opened_at", "opened_seq", "updated_seq")
SELECT d."id", t."to_site_id", 'discrepancy', d."id", 'missing_item', d."item_kind", d."item_id", 'open', t."received_at", d."opened_seq", d."opened_seq"
FROM "discrepancies" d JOIN "transfers" t ON t."id" = d."transfer_id"
WHERE d."kind" = 'missing_item' AND d."item_id" IS NOT NULL
ON CONFLICT ("id") DO NOTHING;
