-- The programme's cap is checked against the number of a group's eligible, unrevoked people at
-- every handover and screening. Counting them there grew with the group (about 25,000 people a
-- group at national scale: tens of milliseconds a handover, the seeder's largest cost); this
-- table holds the count, kept by a trigger on persons so that no projection that changes a
-- person's group, eligibility or revocation (handover, screening, appeal, revocation, correction,
-- merge) can forget it.
CREATE TABLE "group_eligible_counts" (
	"group_id" uuid PRIMARY KEY NOT NULL,
	"eligible" integer NOT NULL
);
--> statement-breakpoint
CREATE FUNCTION armsledger_count_group_eligible() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.group_id IS NOT NULL AND OLD.eligible AND NOT OLD.eligibility_revoked THEN
    UPDATE group_eligible_counts SET eligible = eligible - 1 WHERE group_id = OLD.group_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.group_id IS NOT NULL AND NEW.eligible AND NOT NEW.eligibility_revoked THEN
    INSERT INTO group_eligible_counts (group_id, eligible) VALUES (NEW.group_id, 1)
      ON CONFLICT (group_id) DO UPDATE SET eligible = group_eligible_counts.eligible + 1;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Only when a column the count depends on changes: the write path updates persons for many
-- other reasons (updated_seq, sealed columns, review states).
CREATE TRIGGER persons_count_group_eligible
  AFTER INSERT OR DELETE OR UPDATE OF group_id, eligible, eligibility_revoked ON persons
  FOR EACH ROW EXECUTE FUNCTION armsledger_count_group_eligible();
--> statement-breakpoint
INSERT INTO group_eligible_counts (group_id, eligible)
SELECT group_id, count(*)::int FROM persons
WHERE group_id IS NOT NULL AND eligible AND NOT eligibility_revoked
GROUP BY group_id;
