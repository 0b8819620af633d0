"""One engine; sessions whose every transaction begins with the request's tenant."""

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from rlsgen_context import TenantContext
from rlsgen_sqlalchemy import scope

# policies.yaml: tenant.setting and tenant.type, user.setting and user.type.
TENANT = TenantContext(
    setting="app.company_id",
    tenant_type="uuid",
    user_setting="app.user_id",
    user_type="uuid",
    idle_in_transaction_timeout_ms=30_000,  # PostgreSQL ends a request's transaction left idle longer
)


def make_sessions(database_url: str, **engine_options) -> sessionmaker:
    """``database_url``: a login that is a member of crm_app, never the tables' owner or a superuser."""
    engine = create_engine(database_url, future=True, pool_pre_ping=True, **engine_options)
    sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)
    scope(TENANT, engine, sessions)
    return sessions
