ALTER TABLE "ammunition_lots" ADD COLUMN "custody_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "weapon_items" ADD COLUMN "custody_since" timestamp with time zone;--> statement-breakpoint
-- Items recorded before the column existed: in custody since their handover, or since the last
-- receipt that brought them in (what replaying the ledger gives).
UPDATE "weapon_items" w SET "custody_since" = h."handed_at" FROM "handovers" h WHERE h."id" = w."handover_id";--> statement-breakpoint
UPDATE "ammunition_lots" a SET "custody_since" = h."handed_at" FROM "handovers" h WHERE h."id" = a."handover_id";--> statement-breakpoint
UPDATE "weapon_items" w SET "custody_since" = x."received_at" FROM (
  SELECT DISTINCT ON (ti."item_id") ti."item_id", t."received_at" FROM "transfer_items" ti
  JOIN "transfers" t ON t."id" = ti."transfer_id"
  WHERE ti."item_kind" = 'weapon' AND t."receipt_seq" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM "discrepancies" m WHERE m."transfer_id" = t."id" AND m."kind" = 'missing_item' AND m."item_id" = ti."item_id")
  ORDER BY ti."item_id", t."receipt_seq" DESC) x WHERE x."item_id" = w."id";--> statement-breakpoint
UPDATE "ammunition_lots" a SET "custody_since" = x."received_at" FROM (
  SELECT DISTINCT ON (ti."item_id") ti."item_id", t."received_at" FROM "transfer_items" ti
  JOIN "transfers" t ON t."id" = ti."transfer_id"
  WHERE ti."item_kind" = 'ammunition' AND t."receipt_seq" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM "discrepancies" m WHERE m."transfer_id" = t."id" AND m."kind" = 'missing_item' AND m."item_id" = ti."item_id")
  ORDER BY ti."item_id", t."receipt_seq" DESC) x WHERE x."item_id" = a."id";
