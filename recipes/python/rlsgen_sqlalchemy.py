"""rlsgen for SQLAlchemy: every transaction begins with the tenant, or does not begin.

::

    context = TenantContext(setting="app.company_id", tenant_type="uuid")
    engine = create_engine(url, future=True)          # a login that is a member of crm_app
    SessionLocal = sessionmaker(bind=engine, future=True)
    scope(context, engine, SessionLocal)

    with SessionLocal() as db:                         # per request
        set_tenant(db, user.company_id, user_id=user.id)
        db.query(Contact).all()                        # this company's contacts only

``scope`` installs two things:

- on the sessions: a ``Session.after_begin`` listener that runs
  ``SELECT set_config('app.company_id', :value_0, true)`` on the connection of
  every transaction the session begins (also the one after each ``commit()``),
  before any statement of the application's. A session with no tenant raises
  ``TenantRequiredError`` there, before any statement has been sent;
- on the engine: a guard (``before_cursor_execute``) that refuses any
  statement on a connection whose current transaction did not set the tenant
  first: ``engine.connect()`` used directly, a session factory nobody scoped,
  a statement run in autocommit. Fail closed means an exception, not a
  silently empty result.

Works with every SQLAlchemy dialect that runs ``text()`` with bound
parameters: psycopg2 and asyncpg with SQLAlchemy 1.4, psycopg 3
(``postgresql+psycopg``) with SQLAlchemy 2.0. ``AsyncSession``: pass its
``sessionmaker(..., class_=AsyncSession)`` to ``scope``; the listener runs in
the session's sync core, as SQLAlchemy's events do.
"""

from __future__ import annotations

import weakref
from contextlib import contextmanager
from typing import Any, Iterator, List, Tuple

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from rlsgen_context import (
    TenantContext,
    TenantContextError,
    TenantIdError,
    TenantRequiredError,
    set_config_statement,
)

__all__ = [
    "TenantContext",
    "TenantContextError",
    "TenantIdError",
    "TenantRequiredError",
    "pre_tenant",
    "scope",
    "set_tenant",
    "tenant_connection",
]

# Session.info keys.
TENANT_KEY = "rlsgen.tenant"
USER_KEY = "rlsgen.user"
PRE_TENANT_KEY = "rlsgen.pre_tenant"
# Connection.info (it follows the DB-API connection through the pool): how the
# current transaction was opened; absent until rlsgen's statement has run.
_STATE_KEY = "rlsgen.transaction"
# Execution option that marks rlsgen's own statements for the guard.
_OWN = "rlsgen_context"

_engines: "weakref.WeakKeyDictionary[Engine, TenantContext]" = weakref.WeakKeyDictionary()


def set_tenant(session: Any, tenant_id: object, user_id: object = None) -> None:
    """The tenant (and, for ``legacy_owner`` tables, the user) of the session's transactions.

    Call it before the session's first statement, for example in the request
    dependency that resolves the current user. The ids are checked when the
    next transaction begins; a session already in a transaction refuses,
    because that transaction was opened for another tenant (or none).
    """
    if session.in_transaction():
        raise TenantContextError("the session is in a transaction already: set the tenant before its first statement, or after commit()/rollback()")
    session.info[TENANT_KEY] = tenant_id
    session.info.pop(PRE_TENANT_KEY, None)
    if user_id is None:
        session.info.pop(USER_KEY, None)
    else:
        session.info[USER_KEY] = user_id


def pre_tenant(session: Any) -> None:
    """Marks a session for the steps that run before any tenant is known (sign-in, webhooks).

    Its transactions set both variables to '' (transaction-locally), so tenant
    tables show no row whatever a previous user of the server connection left
    on it, and only exempt tables and rlsgen's narrow pre-tenant lookups
    (``SELECT * FROM rlsgen_lookup.<name>(key)``) answer: run them in such a session.
    """
    if session.in_transaction():
        raise TenantContextError("the session is in a transaction already")
    session.info.pop(TENANT_KEY, None)
    session.info.pop(USER_KEY, None)
    session.info[PRE_TENANT_KEY] = True


def _execute_own(connection: Connection, sql: str, params: Any) -> Any:
    return connection.execute(text(sql).execution_options(**{_OWN: True}), params)


def _open(connection: Connection, pairs: List[Tuple[str, str]], state: str) -> None:
    isolation = connection.get_execution_options().get("isolation_level") or connection.dialect.default_isolation_level
    if isolation == "AUTOCOMMIT":
        # Each statement would be its own transaction: the tenant would end with the first.
        raise TenantContextError("the connection is in AUTOCOMMIT: a transaction-local tenant would end with its first statement")
    _execute_own(connection, *set_config_statement(pairs, named=True))
    connection.info[_STATE_KEY] = state


def _open_for_tenant(connection: Connection, context: TenantContext, tenant_id: object, user_id: object) -> None:
    context.validate(tenant_id, user_id)
    backend_pid = None
    if context.needs_backend_pid:
        # The signed token names this transaction's backend, which behind
        # PgBouncer's transaction pooling is only known inside the transaction.
        backend_pid = _execute_own(connection, "SELECT pg_backend_pid()", {}).scalar_one()
    _open(connection, context.settings(tenant_id, user_id, backend_pid), "tenant")


def _session_listener(context: TenantContext):
    def after_begin(session: Session, transaction: Any, connection: Connection) -> None:
        if transaction.nested:
            return  # a SAVEPOINT runs inside a transaction that has its tenant already
        info = session.info
        if info.get(PRE_TENANT_KEY):
            _open(connection, context.cleared(), "pre-tenant")
            return
        if info.get(TENANT_KEY) is None:
            raise TenantRequiredError(
                "this session has no tenant: call set_tenant(session, company_id) before its first statement "
                "(or pre_tenant(session) for a step that runs before any tenant is known)"
            )
        _open_for_tenant(connection, context, info[TENANT_KEY], info.get(USER_KEY))

    return after_begin


def _scope_sessions(factory: Any, context: TenantContext) -> None:
    listener = _session_listener(context)
    if isinstance(factory, scoped_session):
        factory = factory.session_factory
    if isinstance(factory, sessionmaker) and not issubclass(factory.class_, Session):
        # An AsyncSession factory: events belong to the sync Session inside
        # each AsyncSession, so give the factory a sync class of its own.
        base = factory.kw.get("sync_session_class") or factory.class_.sync_session_class
        sync_class = type("TenantScopedSession", (base,), {})
        event.listen(sync_class, "after_begin", listener)
        factory.configure(sync_session_class=sync_class)
        return
    if not (isinstance(factory, sessionmaker) or (isinstance(factory, type) and issubclass(factory, Session))):
        raise TenantContextError(f"scope() takes sessionmaker, scoped_session or Session subclasses, got {factory!r}")
    event.listen(factory, "after_begin", listener)


def _guard_engine(engine: Engine, context: TenantContext) -> None:
    existing = _engines.get(engine)
    if existing is not None:
        if existing != context:
            raise TenantContextError("this engine is scoped with another TenantContext already")
        return
    _engines[engine] = context

    def forget(connection: Connection, *args: Any) -> None:
        # An invalidated connection has no DB-API connection to ask; the pool
        # listeners below clear its record when it is checked in or out.
        if not connection.invalidated and not connection.closed:
            connection.info.pop(_STATE_KEY, None)

    def forget_record(dbapi_connection: Any, record: Any, *args: Any) -> None:
        if record is not None:
            record.info.pop(_STATE_KEY, None)

    def refuse_unscoped(connection: Connection, cursor: Any, statement: str, parameters: Any, execution: Any, executemany: bool) -> None:
        if execution is not None and execution.execution_options.get(_OWN):
            return
        if connection.info.get(_STATE_KEY) is None:
            raise TenantRequiredError(
                f"refused to run {statement.strip()[:80]!r} outside a tenant transaction on a tenant-scoped engine: "
                "use a session scoped with scope() and set_tenant(), or tenant_connection(engine, company_id)"
            )

    for name in ("begin", "commit", "rollback"):
        event.listen(engine, name, forget)
    for name in ("checkout", "checkin"):
        event.listen(engine, name, forget_record)
    event.listen(engine, "before_cursor_execute", refuse_unscoped)


def scope(context: TenantContext, engine: Any, *session_factories: Any) -> None:
    """Scopes an engine (``Engine`` or ``AsyncEngine``) and its session factories to tenants: see the module's doc."""
    sync_engine = getattr(engine, "sync_engine", engine)
    if not isinstance(sync_engine, Engine):
        raise TenantContextError(f"scope() takes an Engine or AsyncEngine first, got {engine!r}")
    _guard_engine(sync_engine, context)
    for factory in session_factories:
        _scope_sessions(factory, context)


@contextmanager
def tenant_connection(engine: Engine, tenant_id: object, user_id: object = None) -> Iterator[Connection]:
    """Core: ``engine.begin()`` whose first statement sets the tenant; commits when the block ends."""
    context = _engines.get(engine)
    if context is None:
        raise TenantContextError("tenant_connection() needs an engine scoped with scope() first")
    context.validate(tenant_id, user_id)
    with engine.begin() as connection:
        _open_for_tenant(connection, context, tenant_id, user_id)
        yield connection
