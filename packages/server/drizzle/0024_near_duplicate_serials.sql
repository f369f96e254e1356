ALTER TABLE "weapon_items" ADD COLUMN "near_serial_key" text;--> statement-breakpoint
CREATE INDEX "weapon_items_near_serial_key" ON "weapon_items" USING btree ("near_serial_key");