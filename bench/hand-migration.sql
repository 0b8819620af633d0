-- The baseline of `npm run bench:online`: the prepare stage of the bench's
-- manifest (calls gain company_id from their user; contacts have it already,
-- 1% of them NULL) written by hand, the way a careful DBA runs it on a live
-- database:
--   * the session runs under lock_timeout, so that no statement queues behind
--     a long transaction while blocking everyone behind it (the bench retries
--     a step that timed out, with backoff, as a DBA re-runs it);
--   * the column is added bare, its default set apart, and a trigger fills
--     the rows the old application inserts meanwhile;
--   * the backfill is a batched UPDATE ... FROM by primary-key ranges (keyset:
--     the key batch_size rows further on the index, so ranges stay cheap on
--     uuid and sparse keys), one COMMIT per batch;
--   * then VACUUM (ANALYZE), and the tenant index, the foreign key and NOT
--     NULL only after the fill (CONCURRENTLY, NOT VALID then VALIDATE, SET NOT
--     NULL through a validated CHECK), so filling is a non-key update; the
--     index is on company_id alone, as rlsgen builds it for a table no
--     composite foreign key references (no unique (company_id, id) needed).
-- Run it with psql (`PGOPTIONS='-c lock_timeout=1s' psql -v ON_ERROR_STOP=1
-- -f bench/hand-migration.sql`, autocommit on) or let the bench run it: each
-- `-- step:` is sent as one query. The batch size is the session setting
-- hand.batch_size (PGOPTIONS='-c hand.batch_size=2000'; default 5000), the
-- pause after each batch's COMMIT hand.batch_pause_ms (default 0).

-- step: calls: the tenant column, its default and the fill trigger
BEGIN;
ALTER TABLE calls ADD COLUMN company_id uuid;
ALTER TABLE calls ALTER COLUMN company_id SET DEFAULT NULLIF(current_setting('app.company_id', true), '')::uuid;
CREATE FUNCTION hand_fill_calls_company() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF NEW.company_id IS NULL THEN
    NEW.company_id := (SELECT u.company_id FROM public.users AS u WHERE u.id = NEW.user_id);
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER hand_fill_company BEFORE INSERT ON calls FOR EACH ROW EXECUTE FUNCTION hand_fill_calls_company();
COMMIT;

-- step: contacts: the default and the fill trigger
BEGIN;
ALTER TABLE contacts ALTER COLUMN company_id SET DEFAULT NULLIF(current_setting('app.company_id', true), '')::uuid;
CREATE FUNCTION hand_fill_contacts_company() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF NEW.company_id IS NULL THEN
    NEW.company_id := (SELECT u.company_id FROM public.users AS u WHERE u.id = NEW.owner_id);
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER hand_fill_company BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION hand_fill_contacts_company();
COMMIT;

-- step: calls: backfill
DO $$
DECLARE
  batch integer := COALESCE(NULLIF(current_setting('hand.batch_size', true), '')::integer, 5000);
  last_id uuid;
  next_id uuid;
BEGIN
  LOOP
    SELECT c.id INTO next_id FROM calls AS c
     WHERE last_id IS NULL OR c.id > last_id ORDER BY c.id OFFSET batch - 1 LIMIT 1;
    UPDATE calls AS c SET company_id = u.company_id
      FROM users AS u
     WHERE u.id = c.user_id AND c.company_id IS NULL AND u.company_id IS NOT NULL
       AND (last_id IS NULL OR c.id > last_id) AND (next_id IS NULL OR c.id <= next_id);
    COMMIT;
    EXIT WHEN next_id IS NULL;
    PERFORM pg_sleep(COALESCE(NULLIF(current_setting('hand.batch_pause_ms', true), '')::integer, 0) / 1000.0);
    last_id := next_id;
  END LOOP;
END
$$;

-- step: contacts: backfill
DO $$
DECLARE
  batch integer := COALESCE(NULLIF(current_setting('hand.batch_size', true), '')::integer, 5000);
  last_id uuid;
  next_id uuid;
BEGIN
  LOOP
    SELECT c.id INTO next_id FROM contacts AS c
     WHERE last_id IS NULL OR c.id > last_id ORDER BY c.id OFFSET batch - 1 LIMIT 1;
    UPDATE contacts AS c SET company_id = u.company_id
      FROM users AS u
     WHERE u.id = c.owner_id AND c.company_id IS NULL AND u.company_id IS NOT NULL
       AND (last_id IS NULL OR c.id > last_id) AND (next_id IS NULL OR c.id <= next_id);
    COMMIT;
    EXIT WHEN next_id IS NULL;
    PERFORM pg_sleep(COALESCE(NULLIF(current_setting('hand.batch_pause_ms', true), '')::integer, 0) / 1000.0);
    last_id := next_id;
  END LOOP;
END
$$;

-- step: calls: vacuum
VACUUM (ANALYZE) calls;

-- step: contacts: vacuum
VACUUM (ANALYZE) contacts;

-- step: calls: tenant index
CREATE INDEX CONCURRENTLY calls_company_id_tenant_idx ON calls (company_id);

-- step: contacts: tenant index
CREATE INDEX CONCURRENTLY contacts_company_id_tenant_idx ON contacts (company_id);

-- step: calls: foreign key and NOT NULL check, not valid
BEGIN;
ALTER TABLE calls ADD CONSTRAINT calls_company_id_fkey FOREIGN KEY (company_id) REFERENCES companies (id) NOT VALID;
ALTER TABLE calls ADD CONSTRAINT calls_company_id_not_null CHECK (company_id IS NOT NULL) NOT VALID;
COMMIT;

-- step: contacts: NOT NULL check, not valid
BEGIN;
ALTER TABLE contacts ADD CONSTRAINT contacts_company_id_not_null CHECK (company_id IS NOT NULL) NOT VALID;
COMMIT;

-- step: calls: validate
ALTER TABLE calls VALIDATE CONSTRAINT calls_company_id_fkey;

-- step: calls: validate the check
ALTER TABLE calls VALIDATE CONSTRAINT calls_company_id_not_null;

-- step: contacts: validate the check
ALTER TABLE contacts VALIDATE CONSTRAINT contacts_company_id_not_null;

-- step: calls: NOT NULL
BEGIN;
ALTER TABLE calls ALTER COLUMN company_id SET NOT NULL;
ALTER TABLE calls DROP CONSTRAINT calls_company_id_not_null;
COMMIT;

-- step: contacts: NOT NULL
BEGIN;
ALTER TABLE contacts ALTER COLUMN company_id SET NOT NULL;
ALTER TABLE contacts DROP CONSTRAINT contacts_company_id_not_null;
COMMIT;
