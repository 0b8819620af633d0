-- rlsgen: {"step":"citus-distribute","stage":"distribute"}
-- Citus: distribute the tables. In this order, in one transaction:
--   1. foreign keys between these tables are set aside (definitions kept in
--      rlsgen.replaced_constraints): a reference table still linked to local
--      tables would silently become a Citus-local table and the distribution fail;
--   2. reference tables (replicated to every node):
--        public.companies
--        public.roles
--        public.users
--        public.sessions
--        public.audit_logs
--        public.email_templates
--   4. every tenant table, distributed by company_id and co-located with public.twilio_settings:
--        public.twilio_settings
--        public.phone_numbers
--        public.pipelines
--        public.contacts
--        public.deals
--        public.activities
--        public.sms_messages
--        public.sms_templates
--        public.payment_history
--        public.calls
--        public.call_transcripts
--        public.emails
--        public.email_campaigns
--        public.bulk_email_campaigns
--        public.bulk_email_analytics
--        public.documents
--        public.document_signatures
--        public.quotes
--        public.workflows
--        public.workflow_executions
--        public.folders
--        public.files
--        public.notifications
--        public.user_conversations
--        public.inbox
--        public.performance_alerts
--   5. the foreign keys restored where Citus supports them (a reference table
--      cannot point at a distributed one: those stay set aside, with a NOTICE);
--   6. the coordinator's local copies removed.
-- Policies, ENABLE and FORCE ROW LEVEL SECURITY are copied to every shard.
--
-- Locks: create_distributed_table copies each table's rows into its shards
-- and blocks writes to that table until this transaction commits; run it in
-- a maintenance window, or distribute large tables one at a time with
-- create_distributed_table_concurrently beforehand (this file then skips them).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = 0;
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

DO $rlsgen$
DECLARE
  fk record;
BEGIN
  FOR fk IN
    SELECT c.oid, c.conname, c.conrelid::regclass AS source
      FROM pg_catalog.pg_constraint AS c
     WHERE c.contype = 'f'
       AND c.conrelid = ANY (ARRAY['public.companies', 'public.roles', 'public.users', 'public.sessions', 'public.audit_logs', 'public.email_templates', 'public.twilio_settings', 'public.phone_numbers', 'public.pipelines', 'public.contacts', 'public.deals', 'public.activities', 'public.sms_messages', 'public.sms_templates', 'public.payment_history', 'public.calls', 'public.call_transcripts', 'public.emails', 'public.email_campaigns', 'public.bulk_email_campaigns', 'public.bulk_email_analytics', 'public.documents', 'public.document_signatures', 'public.quotes', 'public.workflows', 'public.workflow_executions', 'public.folders', 'public.files', 'public.notifications', 'public.user_conversations', 'public.inbox', 'public.performance_alerts']::regclass[])
       AND c.confrelid = ANY (ARRAY['public.companies', 'public.roles', 'public.users', 'public.sessions', 'public.audit_logs', 'public.email_templates', 'public.twilio_settings', 'public.phone_numbers', 'public.pipelines', 'public.contacts', 'public.deals', 'public.activities', 'public.sms_messages', 'public.sms_templates', 'public.payment_history', 'public.calls', 'public.call_transcripts', 'public.emails', 'public.email_campaigns', 'public.bulk_email_campaigns', 'public.bulk_email_analytics', 'public.documents', 'public.document_signatures', 'public.quotes', 'public.workflows', 'public.workflow_executions', 'public.folders', 'public.files', 'public.notifications', 'public.user_conversations', 'public.inbox', 'public.performance_alerts']::regclass[])
  LOOP
    INSERT INTO rlsgen.replaced_constraints (table_name, column_name, constraint_name, definition, purpose)
    VALUES (fk.source::text, '', fk.conname, pg_catalog.pg_get_constraintdef(fk.oid), 'citus')
    ON CONFLICT DO NOTHING;
    EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', fk.source, fk.conname);
  END LOOP;
END
$rlsgen$;

SELECT create_reference_table('public.companies') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.companies'::regclass);
SELECT create_reference_table('public.roles') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.roles'::regclass);
SELECT create_reference_table('public.users') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.users'::regclass);
SELECT create_reference_table('public.sessions') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.sessions'::regclass);
SELECT create_reference_table('public.audit_logs') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.audit_logs'::regclass);
SELECT create_reference_table('public.email_templates') WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.email_templates'::regclass);
SELECT create_distributed_table('public.twilio_settings', 'company_id', colocate_with => 'none')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.twilio_settings'::regclass);
SELECT create_distributed_table('public.phone_numbers', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.phone_numbers'::regclass);
SELECT create_distributed_table('public.pipelines', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.pipelines'::regclass);
SELECT create_distributed_table('public.contacts', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.contacts'::regclass);
SELECT create_distributed_table('public.deals', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.deals'::regclass);
SELECT create_distributed_table('public.activities', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.activities'::regclass);
SELECT create_distributed_table('public.sms_messages', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.sms_messages'::regclass);
SELECT create_distributed_table('public.sms_templates', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.sms_templates'::regclass);
SELECT create_distributed_table('public.payment_history', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.payment_history'::regclass);
SELECT create_distributed_table('public.calls', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.calls'::regclass);
SELECT create_distributed_table('public.call_transcripts', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.call_transcripts'::regclass);
SELECT create_distributed_table('public.emails', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.emails'::regclass);
SELECT create_distributed_table('public.email_campaigns', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.email_campaigns'::regclass);
SELECT create_distributed_table('public.bulk_email_campaigns', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.bulk_email_campaigns'::regclass);
SELECT create_distributed_table('public.bulk_email_analytics', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.bulk_email_analytics'::regclass);
SELECT create_distributed_table('public.documents', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.documents'::regclass);
SELECT create_distributed_table('public.document_signatures', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.document_signatures'::regclass);
SELECT create_distributed_table('public.quotes', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.quotes'::regclass);
SELECT create_distributed_table('public.workflows', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.workflows'::regclass);
SELECT create_distributed_table('public.workflow_executions', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.workflow_executions'::regclass);
SELECT create_distributed_table('public.folders', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.folders'::regclass);
SELECT create_distributed_table('public.files', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.files'::regclass);
SELECT create_distributed_table('public.notifications', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.notifications'::regclass);
SELECT create_distributed_table('public.user_conversations', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.user_conversations'::regclass);
SELECT create_distributed_table('public.inbox', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.inbox'::regclass);
SELECT create_distributed_table('public.performance_alerts', 'company_id', colocate_with => 'public.twilio_settings')
 WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.performance_alerts'::regclass);

DO $rlsgen$
DECLARE
  saved record;
BEGIN
  FOR saved IN SELECT * FROM rlsgen.replaced_constraints WHERE purpose = 'citus' ORDER BY table_name, constraint_name LOOP
    BEGIN
      EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', saved.table_name, saved.constraint_name, saved.definition);
      DELETE FROM rlsgen.replaced_constraints WHERE table_name = saved.table_name AND constraint_name = saved.constraint_name;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'rlsgen: foreign key % of % is not supported by Citus and stays dropped (%)', saved.constraint_name, saved.table_name, SQLERRM;
    END;
  END LOOP;
END
$rlsgen$;

SELECT truncate_local_data_after_distributing_table('public.companies');
SELECT truncate_local_data_after_distributing_table('public.roles');
SELECT truncate_local_data_after_distributing_table('public.users');
SELECT truncate_local_data_after_distributing_table('public.sessions');
SELECT truncate_local_data_after_distributing_table('public.audit_logs');
SELECT truncate_local_data_after_distributing_table('public.email_templates');
SELECT truncate_local_data_after_distributing_table('public.twilio_settings');
SELECT truncate_local_data_after_distributing_table('public.phone_numbers');
SELECT truncate_local_data_after_distributing_table('public.pipelines');
SELECT truncate_local_data_after_distributing_table('public.contacts');
SELECT truncate_local_data_after_distributing_table('public.deals');
SELECT truncate_local_data_after_distributing_table('public.activities');
SELECT truncate_local_data_after_distributing_table('public.sms_messages');
SELECT truncate_local_data_after_distributing_table('public.sms_templates');
SELECT truncate_local_data_after_distributing_table('public.payment_history');
SELECT truncate_local_data_after_distributing_table('public.calls');
SELECT truncate_local_data_after_distributing_table('public.call_transcripts');
SELECT truncate_local_data_after_distributing_table('public.emails');
SELECT truncate_local_data_after_distributing_table('public.email_campaigns');
SELECT truncate_local_data_after_distributing_table('public.bulk_email_campaigns');
SELECT truncate_local_data_after_distributing_table('public.bulk_email_analytics');
SELECT truncate_local_data_after_distributing_table('public.documents');
SELECT truncate_local_data_after_distributing_table('public.document_signatures');
SELECT truncate_local_data_after_distributing_table('public.quotes');
SELECT truncate_local_data_after_distributing_table('public.workflows');
SELECT truncate_local_data_after_distributing_table('public.workflow_executions');
SELECT truncate_local_data_after_distributing_table('public.folders');
SELECT truncate_local_data_after_distributing_table('public.files');
SELECT truncate_local_data_after_distributing_table('public.notifications');
SELECT truncate_local_data_after_distributing_table('public.user_conversations');
SELECT truncate_local_data_after_distributing_table('public.inbox');
SELECT truncate_local_data_after_distributing_table('public.performance_alerts');
