-- The ledger is append-only at the database level: nobody, not even the application, may change
-- or remove an event. Corrections are new events that reference the corrected one.
CREATE FUNCTION armsledger_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: % refused (record a correction instead)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION armsledger_refuse_event_change();
--> statement-breakpoint
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION armsledger_refuse_event_change();
--> statement-breakpoint
INSERT INTO ledger_state (id, size) VALUES (1, 0);
