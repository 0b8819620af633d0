"""rlsgen_sqlalchemy with AsyncSession: the listener runs in the session's sync core."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import sessionmaker

from rlsgen_context import TenantContext, TenantRequiredError
from rlsgen_sqlalchemy import scope, set_tenant
from support import ASYNC_DRIVERS, NADAN, SUNSTONE, dialect_url, fx_id


async def scenario(url: str) -> dict:
    engine = create_async_engine(url, pool_size=1, max_overflow=0)
    Session = sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    scope(TenantContext(), engine, Session)
    seen: dict = {}
    try:
        for company in (NADAN, SUNSTONE):
            async with Session() as db:
                set_tenant(db, company, user_id=fx_id("user:orphan"))
                result = await db.execute(text("SELECT DISTINCT company_id::text FROM deals"))
                seen[company] = result.scalars().all()
                await db.commit()
                # The transaction after commit() sets the tenant again.
                after = await db.execute(text("SELECT current_setting('app.company_id'), current_setting('app.user_id')"))
                seen[f"{company} after commit"] = tuple(after.one())
        async with Session() as db:
            with pytest.raises(TenantRequiredError, match="has no tenant"):
                await db.execute(text("SELECT count(*) FROM deals"))
        async with engine.connect() as connection:
            with pytest.raises(TenantRequiredError, match="outside a tenant transaction"):
                await connection.execute(text("SELECT count(*) FROM deals"))
    finally:
        await engine.dispose()
    return seen


@pytest.mark.parametrize("driver", ASYNC_DRIVERS)
def test_async_sessions_begin_every_transaction_with_the_tenant(driver: str, crm_url: str) -> None:
    seen = asyncio.run(scenario(dialect_url(crm_url, driver)))
    assert seen == {
        NADAN: [NADAN],
        f"{NADAN} after commit": (NADAN, fx_id("user:orphan")),
        SUNSTONE: [SUNSTONE],
        f"{SUNSTONE} after commit": (SUNSTONE, fx_id("user:orphan")),
    }
