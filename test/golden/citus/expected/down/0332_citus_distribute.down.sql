-- rlsgen: {"step":"citus-distribute","stage":"distribute"}
-- Rollback: the tables back on the coordinator as plain tables, and the
-- foreign keys set aside for the distribution restored.
SET LOCAL statement_timeout = 0;
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

SELECT undistribute_table('public.twilio_settings', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.twilio_settings'::regclass);
SELECT undistribute_table('public.phone_numbers', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.phone_numbers'::regclass);
SELECT undistribute_table('public.pipelines', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.pipelines'::regclass);
SELECT undistribute_table('public.contacts', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.contacts'::regclass);
SELECT undistribute_table('public.deals', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.deals'::regclass);
SELECT undistribute_table('public.activities', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.activities'::regclass);
SELECT undistribute_table('public.sms_messages', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.sms_messages'::regclass);
SELECT undistribute_table('public.sms_templates', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.sms_templates'::regclass);
SELECT undistribute_table('public.payment_history', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.payment_history'::regclass);
SELECT undistribute_table('public.calls', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.calls'::regclass);
SELECT undistribute_table('public.call_transcripts', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.call_transcripts'::regclass);
SELECT undistribute_table('public.emails', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.emails'::regclass);
SELECT undistribute_table('public.email_campaigns', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.email_campaigns'::regclass);
SELECT undistribute_table('public.bulk_email_campaigns', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.bulk_email_campaigns'::regclass);
SELECT undistribute_table('public.bulk_email_analytics', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.bulk_email_analytics'::regclass);
SELECT undistribute_table('public.documents', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.documents'::regclass);
SELECT undistribute_table('public.document_signatures', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.document_signatures'::regclass);
SELECT undistribute_table('public.quotes', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.quotes'::regclass);
SELECT undistribute_table('public.workflows', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.workflows'::regclass);
SELECT undistribute_table('public.workflow_executions', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.workflow_executions'::regclass);
SELECT undistribute_table('public.folders', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.folders'::regclass);
SELECT undistribute_table('public.files', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.files'::regclass);
SELECT undistribute_table('public.notifications', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.notifications'::regclass);
SELECT undistribute_table('public.user_conversations', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.user_conversations'::regclass);
SELECT undistribute_table('public.inbox', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.inbox'::regclass);
SELECT undistribute_table('public.performance_alerts', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.performance_alerts'::regclass);
SELECT undistribute_table('public.companies', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.companies'::regclass);
SELECT undistribute_table('public.roles', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.roles'::regclass);
SELECT undistribute_table('public.users', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.users'::regclass);
SELECT undistribute_table('public.sessions', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.sessions'::regclass);
SELECT undistribute_table('public.audit_logs', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.audit_logs'::regclass);
SELECT undistribute_table('public.email_templates', cascade_via_foreign_keys => true) WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'public.email_templates'::regclass);

DO $rlsgen$
DECLARE
  saved record;
BEGIN
  FOR saved IN SELECT * FROM rlsgen.replaced_constraints WHERE purpose = 'citus' ORDER BY table_name, constraint_name LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', saved.table_name, saved.constraint_name, saved.definition);
    DELETE FROM rlsgen.replaced_constraints WHERE table_name = saved.table_name AND constraint_name = saved.constraint_name;
  END LOOP;
END
$rlsgen$;
