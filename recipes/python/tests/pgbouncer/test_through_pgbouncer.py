"""SQLAlchemy and psycopg 3 behind a real PgBouncer in transaction pooling mode.

Run by test/integration/pgbouncer.test.ts, which starts PgBouncer in front of
the stress fixture (test/fixtures/stress: 100 tenants) with fewer server
connections than the clients here, so transactions of one client move
between server connections and clients share them.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import psycopg2
import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parents[1])]

from rlsgen_context import TenantContext, tenant_transaction  # noqa: E402
from rlsgen_sqlalchemy import scope, set_tenant  # noqa: E402
from support import dialect_url, env_url, fx_id  # noqa: E402

TENANTS = [fx_id(f"tenant:{n}") for n in range(1, 101)]
THREADS = 20
READ = "SELECT DISTINCT company_id::text FROM items"
INSERT = "INSERT INTO items DEFAULT VALUES RETURNING company_id::text"
UPDATE = "UPDATE items SET hits = hits + 1 WHERE id = (SELECT id FROM items ORDER BY hits LIMIT 1) RETURNING company_id::text"


class InjectedFailure(Exception):
    pass


def plan(n: int, faults: tuple) -> tuple:
    """Request n's tenant, and its fault: one request in seven fails, the faults in turn."""
    return TENANTS[(n * 37) % 100], faults[(n // 7) % len(faults)] if n % 7 == 3 else None


def item_counts(admin_url: str) -> Counter:
    with psycopg2.connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT company_id::text, count(*) FROM items GROUP BY 1")
        return Counter(dict(cursor.fetchall()))


def check(rows: list, tenant: str, what: str, violations: list) -> None:
    violations.extend(f"{what} {row} as {tenant}" for row in rows if row != tenant)


def record(figures: dict) -> None:
    path = os.environ.get("RLSGEN_PGBOUNCER_FIGURES")
    if path:
        existing = json.loads(Path(path).read_text()) if Path(path).exists() else {}
        Path(path).write_text(json.dumps({**existing, **figures}))


def run_requests(count: int, request) -> tuple:
    committed: Counter = Counter()
    failed: Counter = Counter()
    violations: list = []
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for outcome, tenant, seen in pool.map(request, range(count)):
            violations.extend(seen)
            (committed if outcome == "committed" else failed)[tenant if outcome == "committed" else outcome] += 1
    return committed, failed, violations


def test_sqlalchemy_sessions_through_pgbouncer() -> None:
    url, admin_url = env_url("RLSGEN_PGBOUNCER_URL"), env_url("RLSGEN_STRESS_ADMIN_URL")
    engine = create_engine(dialect_url(url, "psycopg2"), future=True, pool_size=10, max_overflow=10)
    Session = sessionmaker(bind=engine, future=True)
    scope(TenantContext(), engine, Session)
    local = threading.local()

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def break_set_config(connection, cursor, statement, parameters, context, executemany):
        # The set_config fault: a setting name the server rejects, in rlsgen's own statement.
        if getattr(local, "fault", None) == "set_config" and statement.startswith("SELECT set_config("):
            parameters = {**parameters, "name_0": "rlsgen fault"}
        return statement, parameters

    def request(n: int) -> tuple:
        tenant, fault = plan(n, ("set_config", "handler", "statement"))
        local.fault = fault
        seen: list = []
        try:
            with Session() as db:
                set_tenant(db, tenant)
                check(db.execute(text(READ)).scalars().all(), tenant, "read", seen)
                check([db.execute(text(INSERT)).scalar_one()], tenant, "inserted", seen)
                check(db.execute(text(UPDATE)).scalars().all(), tenant, "updated", seen)
                if fault == "statement":
                    db.execute(text("SELECT 1/0"))
                if fault == "handler":
                    raise InjectedFailure()
                db.commit()
            return ("committed" if fault is None else f"{fault} committed"), tenant, seen
        except InjectedFailure:
            return "handler", tenant, seen
        except DBAPIError as error:
            code = getattr(error.orig, "pgcode", None)
            if (fault, code) not in (("set_config", "42704"), ("statement", "22012")):
                raise
            return fault, tenant, seen
        finally:
            local.fault = None

    before = item_counts(admin_url)
    try:
        committed, failed, violations = run_requests(2_000, request)
        assert violations == []
        assert dict(failed) == {"set_config": 96, "handler": 95, "statement": 95}
        assert item_counts(admin_url) == before + committed
        assert engine.pool.checkedout() == 0
    finally:
        engine.dispose()
    record({"sqlalchemy": {"requests": 2_000, "tenants": len(TENANTS), "failed": dict(failed), "violations": len(violations)}})


def psycopg3_requests(url: str, count: int, **connect_options) -> tuple:
    """psycopg 3 connections (one per thread) running tenant_transaction() requests; errors counted, not raised."""
    context = TenantContext()
    local = threading.local()
    connections: list = []
    errors: Counter = Counter()

    def request(n: int) -> tuple:
        tenant, fault = plan(n, ("handler",))
        if not hasattr(local, "connection"):
            local.connection = psycopg.connect(url, **connect_options)
            connections.append(local.connection)
        seen: list = []
        try:
            with tenant_transaction(local.connection, context, tenant) as connection:
                check([row[0] for row in connection.execute(READ).fetchall()], tenant, "read", seen)
                check([connection.execute(INSERT).fetchone()[0]], tenant, "inserted", seen)
                if fault == "handler":
                    raise InjectedFailure()
            return "committed", tenant, seen
        except InjectedFailure:
            return "handler", tenant, seen
        except psycopg.Error as error:
            errors[type(error).__name__] += 1
            if local.connection.closed:
                del local.connection
            return "error", tenant, seen

    try:
        committed, failed, violations = run_requests(count, request)
    finally:
        for connection in connections:
            connection.close()
    return committed, failed, violations, errors


def test_psycopg3_through_pgbouncer_with_prepared_statements_off() -> None:
    url, admin_url = env_url("RLSGEN_PGBOUNCER_URL"), env_url("RLSGEN_STRESS_ADMIN_URL")
    before = item_counts(admin_url)
    # PgBouncer before 1.21 does not carry prepared statements between server connections: psycopg 3 must not prepare.
    committed, failed, violations, errors = psycopg3_requests(url, 1_000, prepare_threshold=None)
    assert (violations, dict(errors)) == ([], {})
    assert dict(failed) == {"handler": 143}
    assert item_counts(admin_url) == before + committed
    record({"psycopg3": {"requests": 1_000, "tenants": len(TENANTS), "failed": dict(failed), "violations": len(violations)}})


def test_psycopg3_default_prepare_threshold_breaks_behind_pgbouncer() -> None:
    url = env_url("RLSGEN_PGBOUNCER_URL")
    committed, failed, violations, errors = psycopg3_requests(url, 1_000)
    record({"psycopg3_prepared": {"requests": 1_000, "errors": dict(errors), "violations": len(violations)}})
    assert violations == []  # a failed statement is an error, never another tenant's rows
    if not errors:
        pytest.skip("no prepared-statement error this run: PgBouncer kept each client on one server connection")
