"""Helpers and fixtures the Python tests share (ids of the seed CRM fixture, URLs, drivers).

The databases come from the test run (``npm test`` prepares them: the seed CRM
with rlsgen's migrations applied, and the signed-context schema) through
environment variables; the tests connect as a login that is a member of the
application role, never as an owner or superuser. Without them the tests that
need a database skip, saying which variable is missing.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest

import sqlalchemy

SQLALCHEMY_2 = int(sqlalchemy.__version__.split(".")[0]) >= 2


def fx_id(key: str) -> str:
    """The fixture's ids: md5 of a readable key, as a uuid (test/fixtures/crm-legacy/data.sql)."""
    return str(uuid.UUID(hashlib.md5(key.encode()).hexdigest()))


NADAN = fx_id("company:nadan")
SUNSTONE = fx_id("company:sunstone")


def unique(label: str) -> str:
    """A row label no earlier run used: the tests may run twice on one database."""
    return f"{label} {uuid.uuid4().hex[:8]}"


def env_url(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.skip(f"{name} is not set (npm test sets it: test/integration/python.test.ts)")
    return value


def dialect_url(url: str, driver: str) -> str:
    """``postgresql://...`` with SQLAlchemy's driver name: postgresql+psycopg2://..."""
    return url.replace("postgresql://", f"postgresql+{driver}://", 1)


def _since_sqlalchemy_2(driver: str, label: str, dialect: str):
    reason = f"SQLAlchemy {sqlalchemy.__version__} has no {dialect} dialect (it came with 2.0); psycopg 3 is tested through tenant_transaction()"
    return pytest.param(driver, id=label, marks=pytest.mark.skipif(not SQLALCHEMY_2, reason=reason))


# SQLAlchemy's PostgreSQL dialects the tests run on.
SYNC_DRIVERS = [pytest.param("psycopg2", id="psycopg2"), _since_sqlalchemy_2("psycopg", "psycopg3", "psycopg 3")]
ASYNC_DRIVERS = [pytest.param("asyncpg", id="asyncpg"), _since_sqlalchemy_2("psycopg_async", "psycopg3-async", "async psycopg 3")]


def admin_count(admin, sql: str, *params: object) -> int:
    with admin.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


@contextmanager
def legacy_call(admin, user_key: str) -> Iterator[str]:
    """A call still without a company, of the fixture user ``user_key`` (a legacy_owner row), removed afterwards."""
    with admin.cursor() as cursor:
        cursor.execute("INSERT INTO calls (company_id, user_id) VALUES (NULL, %s) RETURNING id::text", (fx_id(user_key),))
        call = cursor.fetchone()[0]
    try:
        yield call
    finally:
        with admin.cursor() as cursor:
            cursor.execute("DELETE FROM calls WHERE id = %s", (call,))


def _url_fixture(name: str, variable: str, doc: str):
    def fixture() -> str:
        return env_url(variable)

    fixture.__doc__ = doc
    return pytest.fixture(scope="session", name=name)(fixture)


crm_url = _url_fixture("crm_url", "RLSGEN_CRM_URL", "The migrated seed CRM, as a login that is a member of crm_app.")
crm_admin_url = _url_fixture("crm_admin_url", "RLSGEN_CRM_ADMIN_URL", "The same database as its superuser: only for checking what the application did.")
signed_url = _url_fixture("signed_url", "RLSGEN_SIGNED_URL", "The signed-context schema (test/golden/signed), as a member of wa_signed_app.")
signed_secret = _url_fixture("signed_secret", "RLSGEN_SIGNED_SECRET", "The secret stored in its rlsgen.context_secret, as hex.")


@pytest.fixture()
def admin(crm_admin_url: str):
    """A psycopg2 connection as the superuser, in autocommit."""
    import psycopg2

    connection = psycopg2.connect(crm_admin_url)
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()
