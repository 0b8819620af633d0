"""tenant_transaction() on plain psycopg2 and psycopg 3 connections, against the migrated seed CRM."""

from __future__ import annotations

import pytest

from rlsgen_context import TenantContext, TenantContextError, TenantIdError, tenant_transaction
from support import NADAN, SUNSTONE, admin_count, fx_id, legacy_call, unique


def connect(driver: str, url: str):
    if driver == "psycopg2":
        import psycopg2

        return psycopg2.connect(url)
    import psycopg

    return psycopg.connect(url)


DRIVERS = ["psycopg2", "psycopg3"]


def rows(connection, sql: str, *params: object) -> list:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params or None)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


@pytest.mark.parametrize("driver", DRIVERS)
def test_each_company_sees_its_rows_and_inserts_into_its_own(driver: str, crm_url: str, admin) -> None:
    context = TenantContext()
    name = unique(driver)
    connection = connect(driver, crm_url)
    try:
        for company in (NADAN, SUNSTONE):
            with tenant_transaction(connection, context, company) as conn:
                seen = rows(conn, "SELECT DISTINCT company_id::text FROM deals")
                (inserted,) = rows(conn, "INSERT INTO pipelines (name) VALUES (%s) RETURNING company_id::text", name)
            assert seen == [(company,)]
            assert inserted == (company,)
        # The tenant ended with the transaction: '' on this connection from now on.
        assert rows(connection, "SELECT current_setting('app.company_id', true)") == [("",)]
        connection.rollback()
    finally:
        connection.close()
    assert admin_count(admin, "SELECT count(DISTINCT company_id) FROM pipelines WHERE name = %s AND company_id IN (%s, %s)", name, NADAN, SUNSTONE) == 2


@pytest.mark.parametrize("driver", DRIVERS)
def test_an_exception_rolls_back(driver: str, crm_url: str, admin) -> None:
    name = unique(driver)
    connection = connect(driver, crm_url)
    try:
        with pytest.raises(RuntimeError, match="boom"):
            with tenant_transaction(connection, TenantContext(), NADAN) as conn:
                rows(conn, "INSERT INTO pipelines (name) VALUES (%s) RETURNING id", name)
                raise RuntimeError("boom")
    finally:
        connection.close()
    assert admin_count(admin, "SELECT count(*) FROM pipelines WHERE name = %s", name) == 0


@pytest.mark.parametrize("driver", DRIVERS)
def test_refuses_before_any_statement(driver: str, crm_url: str) -> None:
    connection = connect(driver, crm_url)
    try:
        for bad in (None, "", "not-a-uuid", 42):
            with pytest.raises(TenantIdError):
                with tenant_transaction(connection, TenantContext(), bad):
                    pass
        assert connection.info.transaction_status == 0  # nothing was sent
        rows(connection, "SELECT 1")
        with pytest.raises(TenantContextError, match="already in a transaction"):
            with tenant_transaction(connection, TenantContext(), NADAN):
                pass
        connection.rollback()
        connection.autocommit = True
        with pytest.raises(TenantContextError, match="autocommit"):
            with tenant_transaction(connection, TenantContext(), NADAN):
                pass
    finally:
        connection.close()


@pytest.mark.parametrize("driver", DRIVERS)
def test_the_user_of_legacy_owner_rows(driver: str, crm_url: str, admin) -> None:
    # A row still without a company is its owner's, within the owner's company only:
    # the orphan user's call stays hidden under any tenant, a Nadan user's shows under Nadan.
    connection = connect(driver, crm_url)
    try:
        with legacy_call(admin, "user:nadan:1"):
            for tenant, user, expected in ((NADAN, fx_id("user:nadan:1"), 1), (NADAN, fx_id("user:orphan"), 0), (SUNSTONE, fx_id("user:nadan:1"), 0), (NADAN, None, 0)):
                with tenant_transaction(connection, TenantContext(), tenant, user_id=user) as conn:
                    assert rows(conn, "SELECT count(*) FROM calls WHERE company_id IS NULL") == [(expected,)]
    finally:
        connection.close()


@pytest.mark.parametrize("driver", DRIVERS)
def test_signed_tokens_pass_the_database_verifier(driver: str, signed_url: str, signed_secret: str) -> None:
    context = TenantContext(mode="signed", secret=signed_secret)
    org_a, org_b = fx_id("org:a"), fx_id("org:b")
    connection = connect(driver, signed_url)
    try:
        with tenant_transaction(connection, context, org_a) as conn:
            assert rows(conn, "SELECT DISTINCT organization_id::text FROM orders") == [(org_a,)]
            token = rows(conn, "SELECT current_setting('app.company_id')")[0][0]
        assert token.startswith("v1.") and token.endswith(org_a)
        # Injected SQL can call set_config, but cannot sign: an edited token sees and writes nothing.
        rows(connection, "SELECT set_config('app.company_id', %s, true)", token.replace(org_a, org_b))
        assert rows(connection, "SELECT count(*) FROM orders") == [(0,)]
        connection.rollback()
        rows(connection, "SELECT set_config('app.company_id', %s, true)", org_b)
        assert rows(connection, "SELECT count(*) FROM orders") == [(0,)]
        connection.rollback()
        other = connect(driver, signed_url)
        try:
            rows(other, "SELECT set_config('app.company_id', %s, true)", token)
            assert rows(other, "SELECT count(*) FROM orders") == [(0,)], "a token is valid only on the backend it was made for"
        finally:
            other.close()
    finally:
        connection.close()
