"""The seed CRM's API over rlsgen's row-level security: no query filters by company."""
