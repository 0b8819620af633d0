-- rlsgen: {"step":"citus-prepare","stage":"distribute"}
-- Citus: checks before distribution, and the setting that makes the tenant
-- variable reach the workers. Citus copies a transaction's SET LOCAL to the
-- workers only with citus.propagate_set_commands = 'local' (set_config() and
-- session SET never reach them: the workers would see no tenant, so no rows).
-- rlsgen/runtime's citus mode issues SET LOCAL.
--
-- Stops here, with the offending objects named, if Citus would refuse the
-- distribution: a tenant column that still allows NULL, a unique constraint
-- without the tenant column, or a RESTRICTIVE policy (Citus copies those to
-- the shards as permissive, which widens what they allow).
--
-- Locks: none on application tables.
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DO $rlsgen$
DECLARE
  problem text;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION 'rlsgen: the citus extension is not installed in this database'
      USING HINT = 'CREATE EXTENSION citus on the coordinator, add the workers, then apply again';
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.twilio_settings'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.twilio_settings', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.twilio_settings'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.twilio_settings', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.twilio_settings'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.twilio_settings', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.phone_numbers'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.phone_numbers', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.phone_numbers'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.phone_numbers', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.phone_numbers'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.phone_numbers', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.pipelines'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.pipelines', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.pipelines'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.pipelines', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.pipelines'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.pipelines', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.contacts'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.contacts', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.contacts'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.contacts', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.contacts'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.contacts', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.deals'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.deals', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.deals'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.deals', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.deals'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.deals', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.activities'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.activities', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.activities'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.activities', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.activities'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.activities', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.sms_messages'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.sms_messages', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.sms_messages'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.sms_messages', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.sms_messages'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.sms_messages', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.sms_templates'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.sms_templates', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.sms_templates'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.sms_templates', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.sms_templates'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.sms_templates', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.payment_history'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.payment_history', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.payment_history'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.payment_history', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.payment_history'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.payment_history', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.calls'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.calls', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.calls'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.calls', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.calls'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.calls', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.call_transcripts'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.call_transcripts', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.call_transcripts'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.call_transcripts', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.call_transcripts'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.call_transcripts', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.emails'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.emails', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.emails'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.emails', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.emails'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.emails', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.email_campaigns'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.email_campaigns', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.email_campaigns'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.email_campaigns', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.email_campaigns'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.email_campaigns', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.bulk_email_campaigns'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.bulk_email_campaigns', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.bulk_email_campaigns'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.bulk_email_campaigns', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.bulk_email_campaigns'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.bulk_email_campaigns', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.bulk_email_analytics'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.bulk_email_analytics', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.bulk_email_analytics'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.bulk_email_analytics', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.bulk_email_analytics'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.bulk_email_analytics', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.documents'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.documents', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.documents'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.documents', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.documents'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.documents', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.document_signatures'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.document_signatures', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.document_signatures'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.document_signatures', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.document_signatures'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.document_signatures', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.quotes'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.quotes', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.quotes'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.quotes', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.quotes'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.quotes', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.workflows'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.workflows', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.workflows'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.workflows', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.workflows'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.workflows', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.workflow_executions'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.workflow_executions', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.workflow_executions'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.workflow_executions', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.workflow_executions'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.workflow_executions', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.folders'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.folders', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.folders'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.folders', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.folders'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.folders', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.files'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.files', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.files'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.files', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.files'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.files', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.notifications'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.notifications', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.notifications'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.notifications', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.notifications'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.notifications', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.user_conversations'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.user_conversations', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.user_conversations'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.user_conversations', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.user_conversations'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.user_conversations', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.inbox'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.inbox', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.inbox'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.inbox', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.inbox'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.inbox', problem;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = 'public.performance_alerts'::regclass AND attname = 'company_id' AND NOT attnotnull) THEN
    RAISE EXCEPTION 'rlsgen: %.% allows NULL; Citus needs the distribution column NOT NULL', 'public.performance_alerts', 'company_id';
  END IF;
  SELECT string_agg(c.conname, ', ') INTO problem
    FROM pg_catalog.pg_constraint AS c
   WHERE c.conrelid = 'public.performance_alerts'::regclass AND c.contype IN ('u', 'x')
     AND NOT (SELECT a.attnum FROM pg_catalog.pg_attribute AS a WHERE a.attrelid = c.conrelid AND a.attname = 'company_id') = ANY (c.conkey);
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: unique constraints of % without the tenant column: %', 'public.performance_alerts', problem
      USING HINT = 'Citus needs every unique constraint of a distributed table to include the distribution column';
  END IF;
  SELECT string_agg(p.polname, ', ') INTO problem FROM pg_catalog.pg_policy AS p
   WHERE p.polrelid = 'public.performance_alerts'::regclass AND NOT p.polpermissive;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rlsgen: RESTRICTIVE policies on %: % (Citus copies them to the shards as permissive)', 'public.performance_alerts', problem;
  END IF;
  EXECUTE pg_catalog.format('ALTER ROLE %I IN DATABASE %I SET citus.propagate_set_commands = %L',
    'crm_app', pg_catalog.current_database(), 'local');
  EXECUTE pg_catalog.format('ALTER ROLE %I IN DATABASE %I SET citus.propagate_set_commands = %L',
    'crm_support', pg_catalog.current_database(), 'local');
END
$rlsgen$;
