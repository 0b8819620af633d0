-- rlsgen: {"step":"add-reference-guards","stage":"enforce","table":"public.campaigns"}
-- Rollback: drop the reference triggers of public.campaigns (its keys into shared
-- tables stay, single-column, as they were).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '30s';

DROP TRIGGER IF EXISTS rlsgen_guard_template_id ON public.campaigns;
DROP FUNCTION IF EXISTS rlsgen.guard_campaigns_template_id_ffd4d2a9();
