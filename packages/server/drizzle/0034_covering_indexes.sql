DROP INDEX "ammunition_lots_handover";--> statement-breakpoint
DROP INDEX "weapon_items_handover";--> statement-breakpoint
CREATE INDEX "handovers_places" ON "handovers" USING btree ("id","group_id","governorate","site_id","handed_at");--> statement-breakpoint
CREATE INDEX "ammunition_lots_handover" ON "ammunition_lots" USING btree ("handover_id","kind","unit","state","quantity");--> statement-breakpoint
CREATE INDEX "weapon_items_handover" ON "weapon_items" USING btree ("handover_id","category","state");