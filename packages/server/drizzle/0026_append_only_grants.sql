-- Least privilege (docs/security.md, "Database roles"): `armsledger db roles` gives the
-- application role SELECT, INSERT, UPDATE, DELETE on the tables the owner creates, by default
-- privileges. The append-only tables must not keep UPDATE or DELETE: revoke them from every role
-- but the owner, whichever order the roles step and the migrations ran in. (A database without
-- roles, e.g. the embedded one, has no such grants and nothing happens.) A future append-only
-- table does the same in its own migration and joins `appendOnlyTables` in store/roles.ts.
DO $$
DECLARE
  grant_row record;
BEGIN
  FOR grant_row IN
    SELECT DISTINCT c.relname AS table_name, a.grantee::regrole::text AS grantee,
           CASE WHEN c.relname = 'log_tiles' THEN 'DELETE, TRUNCATE' ELSE 'UPDATE, DELETE, TRUNCATE' END AS privileges
      FROM pg_class c, aclexplode(c.relacl) a
     WHERE c.relnamespace = current_schema()::regnamespace
       AND c.relname IN ('events', 'access_log', 'checkpoints', 'log_tiles')
       AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
       AND a.grantee <> c.relowner
       AND a.grantee <> 0
  LOOP
    EXECUTE format('REVOKE %s ON TABLE %I FROM %s', grant_row.privileges, grant_row.table_name, grant_row.grantee);
  END LOOP;
END;
$$;
