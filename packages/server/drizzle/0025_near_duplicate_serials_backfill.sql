-- Near-duplicate serials (issue 5): weapons recorded before near_serial_key existed get it from
-- their serial_key (make|model|serial, already folded by rules/serial.ts serialKey), with the
-- look-alike letters of the serial read as digits exactly as lookalikeSerial does
-- (O,Q→0; I,L→1; S→5; B→8; Z→2). The make and model stay as they are. A make or model holding
-- "|" would split wrongly (a replay of the ledger puts it right). Anomalies for pairs already
-- recorded are not raised here: they are raised when a new or corrected weapon meets them, and
-- a replay of the ledger (armsledger verify --database) rebuilds the table with them.
UPDATE "weapon_items"
SET "near_serial_key" =
  split_part("serial_key", '|', 1) || '|' || split_part("serial_key", '|', 2) || '|' ||
  translate(
    substr("serial_key", length(split_part("serial_key", '|', 1)) + length(split_part("serial_key", '|', 2)) + 3),
    'OQILSBZ',
    '0011582'
  )
WHERE "serial_key" IS NOT NULL AND "near_serial_key" IS NULL;
