"""rlsgen_sqlalchemy with Session and Core, against the migrated seed CRM."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Boolean, Column, FetchedValue, Text, create_engine, event, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

from rlsgen_context import TenantContext, TenantContextError, TenantIdError, TenantRequiredError
from rlsgen_sqlalchemy import pre_tenant, scope, set_tenant, tenant_connection
from support import NADAN, SUNSTONE, SYNC_DRIVERS, admin_count, dialect_url, fx_id, legacy_call, unique

Base = declarative_base()


class Pipeline(Base):
    __tablename__ = "pipelines"
    id = Column(UUID(as_uuid=False), primary_key=True, server_default=FetchedValue())
    # Filled by the column default rlsgen installs: the transaction's tenant.
    company_id = Column(UUID(as_uuid=False), server_default=FetchedValue())
    name = Column(Text, nullable=False)
    is_deleted = Column(Boolean, nullable=False, server_default=FetchedValue())


@pytest.fixture()
def scoped():
    """A factory of scoped (engine, sessionmaker) pairs; the engines are disposed after the test."""
    engines = []

    def make(url: str, driver: str, context: TenantContext = TenantContext(), **engine_options):
        engine = create_engine(dialect_url(url, driver), future=True, **engine_options)
        engines.append(engine)
        factory = sessionmaker(bind=engine, future=True)
        scope(context, engine, factory)
        return engine, factory

    yield make
    for engine in engines:
        engine.dispose()


def record_statements(engine) -> list:
    sent: list = []
    event.listen(engine, "after_cursor_execute", lambda conn, cursor, statement, *rest: sent.append(statement))
    return sent


@pytest.mark.parametrize("driver", SYNC_DRIVERS)
def test_each_company_sees_only_its_rows_and_writes_into_its_own(driver: str, crm_url: str, admin, scoped) -> None:
    engine, Session = scoped(crm_url, driver)
    for company in (NADAN, SUNSTONE):
        with Session() as db:
            set_tenant(db, company)
            assert {p.company_id for p in db.query(Pipeline).all()} == {company}
            assert db.execute(text("SELECT count(*) FROM deals")).scalar_one() == admin_count(admin, "SELECT count(*) FROM deals WHERE company_id = %s", company)
            created = Pipeline(name=f"sqlalchemy {driver}")
            db.add(created)
            db.commit()
            # refresh() runs in the next transaction, which sets the tenant again.
            db.refresh(created)
            assert created.company_id == company


@pytest.mark.parametrize("driver", SYNC_DRIVERS)
def test_tenants_switch_cleanly_on_one_pooled_connection(driver: str, crm_url: str, scoped) -> None:
    engine, Session = scoped(crm_url, driver, pool_size=1, max_overflow=0)
    for company in (NADAN, SUNSTONE, NADAN, SUNSTONE):
        with Session() as db:
            set_tenant(db, company)
            seen = db.execute(text("SELECT DISTINCT company_id::text FROM contacts")).scalars().all()
        assert seen == [company]
    with engine.connect() as connection:
        raw = connection.connection.cursor()
        raw.execute("SELECT current_setting('app.company_id', true), (SELECT count(*) FROM pg_settings WHERE source = 'session')")
        assert tuple(raw.fetchone()) == ("", 0)


@pytest.mark.parametrize("driver", SYNC_DRIVERS)
def test_no_tenant_raises_before_any_statement(driver: str, crm_url: str, scoped) -> None:
    engine, Session = scoped(crm_url, driver)
    sent = record_statements(engine)
    with Session() as db:
        with pytest.raises(TenantRequiredError, match="has no tenant"):
            db.query(Pipeline).all()
    with Session() as db:
        set_tenant(db, "not-a-uuid")
        with pytest.raises(TenantIdError):
            db.execute(text("SELECT 1"))
    assert sent == []


@pytest.mark.parametrize("driver", SYNC_DRIVERS)
def test_unscoped_paths_on_a_scoped_engine_are_refused(driver: str, crm_url: str, scoped) -> None:
    engine, Session = scoped(crm_url, driver)
    sent = record_statements(engine)
    forgotten = sessionmaker(bind=engine, future=True)  # a factory nobody passed to scope()
    with pytest.raises(TenantRequiredError, match="outside a tenant transaction"):
        with engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM contacts"))
    with pytest.raises(TenantRequiredError):
        with engine.begin() as connection:
            connection.execute(text("SELECT count(*) FROM contacts"))
    with pytest.raises(TenantRequiredError):
        with forgotten() as db:
            db.query(Pipeline).all()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
        with pytest.raises(TenantContextError, match="AUTOCOMMIT"):
            with Session(bind=autocommit) as db:
                set_tenant(db, NADAN)
                db.execute(text("SELECT count(*) FROM contacts"))
    assert sent == []
    with tenant_connection(engine, NADAN) as connection:
        assert connection.execute(text("SELECT DISTINCT company_id::text FROM deals")).scalars().all() == [NADAN]
    with Session() as db:
        set_tenant(db, NADAN)
        db.execute(text("SELECT 1"))
        with pytest.raises(TenantContextError, match="in a transaction already"):
            set_tenant(db, SUNSTONE)


@pytest.mark.parametrize("driver", SYNC_DRIVERS)
def test_scoped_session_registries_are_scoped_too(driver: str, crm_url: str, scoped) -> None:
    engine, _ = scoped(crm_url, driver)
    registry = scoped_session(sessionmaker(bind=engine, future=True))
    scope(TenantContext(), engine, registry)
    with pytest.raises(TenantRequiredError, match="has no tenant"):
        registry.execute(text("SELECT 1"))
    registry.remove()
    set_tenant(registry(), SUNSTONE)
    assert registry.execute(text("SELECT DISTINCT company_id::text FROM deals")).scalars().all() == [SUNSTONE]
    registry.remove()


@pytest.mark.parametrize("driver", SYNC_DRIVERS)
def test_pre_tenant_steps_see_lookups_and_exempt_tables_and_no_tenant_rows(driver: str, crm_url: str, scoped) -> None:
    engine, Session = scoped(crm_url, driver, pool_size=1, max_overflow=0)
    # Something outside rlsgen left a session-level value on the pooled connection.
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.execute("SELECT set_config('app.company_id', %s, false)", (NADAN,))
    raw.commit()
    cursor.execute("SELECT count(*) FROM contacts")
    assert cursor.fetchone()[0] > 0  # the leak is real on this connection
    raw.commit()
    raw.close()
    with Session() as db:
        pre_tenant(db)
        # Sign-in goes through the lookup; the users table itself shows nothing before a tenant.
        user = db.execute(text("SELECT company_id::text FROM rlsgen_lookup.user_by_email('nadan1@example.com')")).scalar_one()
        users = db.execute(text("SELECT count(*) FROM users")).scalar_one()
        contacts = db.execute(text("SELECT count(*) FROM contacts")).scalar_one()
        roles = db.execute(text("SELECT count(*) FROM roles")).scalar_one()
    assert (user, users, contacts, roles) == (NADAN, 0, 0, 3)


@pytest.mark.parametrize("driver", SYNC_DRIVERS)
def test_savepoints_keep_the_tenant_and_legacy_rows_their_owner(driver: str, crm_url: str, admin, scoped) -> None:
    engine, Session = scoped(crm_url, driver)
    with legacy_call(admin, "user:nadan:1"), Session() as db:
        set_tenant(db, NADAN, user_id=fx_id("user:nadan:1"))
        kept, dropped = unique("savepoint"), unique("savepoint rolled back")
        with db.begin_nested():
            db.add(Pipeline(name=kept))
        nested = db.begin_nested()
        db.add(Pipeline(name=dropped))
        db.flush()
        nested.rollback()
        assert db.execute(text("SELECT count(*) FROM calls WHERE company_id IS NULL")).scalar_one() == 1
        db.commit()
    assert admin_count(admin, "SELECT count(*) FROM pipelines WHERE name = %s AND company_id = %s", kept, NADAN) == 1
    assert admin_count(admin, "SELECT count(*) FROM pipelines WHERE name = %s", dropped) == 0


@pytest.mark.parametrize("driver", SYNC_DRIVERS)
def test_signed_context_against_the_database_verifier(driver: str, signed_url: str, signed_secret: str, scoped) -> None:
    engine, Session = scoped(signed_url, driver, TenantContext(mode="signed", secret=signed_secret))
    for org in (fx_id("org:a"), fx_id("org:b")):
        with Session() as db:
            set_tenant(db, org)
            assert db.execute(text("SELECT DISTINCT organization_id::text FROM orders")).scalars().all() == [org]
            token = db.execute(text("SELECT current_setting('app.company_id')")).scalar_one()
            assert token.startswith("v1.") and token.endswith(org)


@pytest.mark.parametrize("driver", SYNC_DRIVERS)
def test_the_server_ends_a_transaction_left_idle(driver: str, crm_url: str, admin, scoped) -> None:
    engine, Session = scoped(crm_url, driver, TenantContext(idle_in_transaction_timeout_ms=300), pool_pre_ping=True)
    with Session() as db:
        set_tenant(db, NADAN)
        name = unique("left idle")
        db.add(Pipeline(name=name))
        db.flush()
        backend = db.execute(text("SELECT pg_backend_pid()")).scalar_one()
        time.sleep(1.2)  # a request waiting on something slow, with its transaction open
        assert admin_count(admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", backend) == 0
        with pytest.raises(DBAPIError):
            db.execute(text("SELECT 1"))
    assert admin_count(admin, "SELECT count(*) FROM pipelines WHERE name = %s", name) == 0
    with Session() as db:
        set_tenant(db, NADAN)
        assert db.execute(text("SELECT current_setting('idle_in_transaction_session_timeout')")).scalar_one() == "300ms"
