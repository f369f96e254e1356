-- A full tile (256 hashes) and a signed checkpoint never change: refuse it at the database level.
CREATE FUNCTION armsledger_refuse_tile_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.width < 256 AND NEW.width > OLD.width
     AND substring(NEW.data from 1 for length(OLD.data)) = OLD.data THEN
    RETURN NEW; -- a partial tile growing, the hashes it had unchanged
  END IF;
  RAISE EXCEPTION '% on log_tiles refused: the published log is append-only', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER log_tiles_append_only BEFORE UPDATE OR DELETE ON log_tiles
  FOR EACH ROW EXECUTE FUNCTION armsledger_refuse_tile_change();
--> statement-breakpoint
CREATE FUNCTION armsledger_refuse_checkpoint_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on checkpoints refused: the published log is append-only', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
  FOR EACH ROW EXECUTE FUNCTION armsledger_refuse_checkpoint_change();
