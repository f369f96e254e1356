-- The duplicate check reads each name key's block size from person_name_counts (field 'block'),
-- kept by the projection beside person_name_keys, instead of counting the key table (docs/sync.md).
-- Existing registries get their counts once, here.
INSERT INTO "person_name_counts" ("field", "key", "count")
SELECT 'block', "key", count(*)::int FROM "person_name_keys" GROUP BY "key"
ON CONFLICT ("field", "key") DO UPDATE SET "count" = EXCLUDED."count";
