"""rlsgen's tenant context for Python applications, independent of the driver.

rlsgen's policies read the tenant from a session variable (``app.company_id``
by default). This module computes what an application sends at the start of
every transaction, and runs it on a plain DB-API connection (psycopg2 or
psycopg 3)::

    SELECT set_config('app.company_id', %s, true), ...

``set_config(name, value, true)`` is transaction-local: the value ends with the
transaction whatever happens (commit, rollback, a dropped connection), so a
pooled connection, or a PgBouncer server connection in transaction pooling
mode, never carries one request's tenant into another's. Values are always
bound parameters, and are checked against the manifest's ``tenant.type``
first: a missing, empty or malformed id raises instead of reaching the
database (where it would match nothing, or fail as a cast error).

The SQLAlchemy integration is ``rlsgen_sqlalchemy``. This file has no
dependency outside the standard library: copy it (and ``rlsgen_sqlalchemy.py``)
into the application, or put ``node_modules/rlsgen/recipes/python`` on
``PYTHONPATH``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, List, Optional, Sequence, Tuple, Union

__all__ = [
    "TenantContext",
    "TenantContextError",
    "TenantIdError",
    "TenantRequiredError",
    "format_tenant_id",
    "read_tenant_token",
    "set_config_statement",
    "sign_tenant_token",
    "tenant_transaction",
]

TENANT_TYPES = ("uuid", "bigint", "integer", "text")
MODES = ("plain", "signed")

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_BIGINT = re.compile(r"^-?\d{1,19}$")
_SETTING = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*\.[A-Za-z_][A-Za-z0-9_$]*$")
_TOKEN = re.compile(r"^v1\.(\d+)\.(\d+)\.([0-9a-f]{64})\.(.+)$", re.DOTALL)
_INT64 = (-(2**63), 2**63 - 1)
_INT32 = (-(2**31), 2**31 - 1)

# PostgreSQL's own bound on idle transactions, set with the tenant (transaction-local).
IDLE_TIMEOUT_SETTING = "idle_in_transaction_session_timeout"


class TenantContextError(RuntimeError):
    """The tenant context cannot be opened as asked (a usage error)."""


class TenantRequiredError(TenantContextError):
    """A statement would have run without a tenant: refused before it reached the database."""


class TenantIdError(TypeError):
    """A tenant or user id that is not a value of its declared type."""


def _describe(value: object) -> str:
    if value == "":
        return "an empty string"
    if value is None:
        return "None"
    return f"{type(value).__name__} {value!r}"


def format_tenant_id(tenant_type: str, value: object) -> str:
    """The id as the text ``set_config`` receives, after checking it is a value of ``tenant_type``.

    The same rules as ``formatTenantId`` in ``rlsgen/runtime``: uuid (a
    ``uuid.UUID`` or its text, lower-cased), bigint and integer (an ``int`` in
    range, or for bigint its decimal text; ``bool`` is not an integer here),
    text (a non-empty ``str`` without NUL).
    """
    if tenant_type == "uuid":
        if isinstance(value, uuid.UUID):
            return str(value)
        if isinstance(value, str) and _UUID.match(value):
            return value.lower()
    elif tenant_type in ("bigint", "integer"):
        low, high = _INT64 if tenant_type == "bigint" else _INT32
        number: Optional[int] = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif tenant_type == "bigint" and isinstance(value, str) and _BIGINT.match(value):
            number = int(value)
        if number is not None and low <= number <= high:
            return str(number)
    elif tenant_type == "text":
        if isinstance(value, str) and value != "" and "\x00" not in value:
            return value
    else:
        raise TenantIdError(f"unknown tenant id type {tenant_type!r} (expected one of {', '.join(TENANT_TYPES)})")
    raise TenantIdError(f"tenant id must be a {tenant_type}, got {_describe(value)}")


def _secret_bytes(secret: Union[str, bytes]) -> bytes:
    return bytes.fromhex(secret) if isinstance(secret, str) else bytes(secret)


def _payload(tenant: str, expires: int, backend_pid: int) -> bytes:
    return f"v1.{expires}.{backend_pid}.{tenant}".encode("utf-8")


def sign_tenant_token(secret: Union[str, bytes], tenant: str, expires: int, backend_pid: int) -> str:
    """``v1.<expires>.<backend pid>.<hmac>.<tenant>``, the token of rlsgen's signed context.

    hmac is HMAC-SHA256(secret, ``v1.<expires>.<backend pid>.<tenant>``) in hex;
    ``expires`` is unix seconds (0: none). The database recomputes it in
    ``rlsgen.verified_tenant_<type>()`` with the secret stored in
    ``rlsgen.context_secret`` and accepts it only on the backend it names.
    """
    if isinstance(expires, bool) or not isinstance(expires, int) or expires < 0:
        raise ValueError("expires must be unix seconds (0: none)")
    mac = hmac.new(_secret_bytes(secret), _payload(tenant, expires, backend_pid), hashlib.sha256).hexdigest()
    return f"v1.{expires}.{backend_pid}.{mac}.{tenant}"


def read_tenant_token(secret: Union[str, bytes], token: str, now: Optional[float] = None) -> Optional[dict]:
    """The claims (tenant, expires, backend_pid) of a valid token, or None: the database's rules."""
    match = _TOKEN.match(token)
    if match is None:
        return None
    expires, backend_pid, given, tenant = int(match.group(1)), int(match.group(2)), match.group(3), match.group(4)
    expected = hmac.new(_secret_bytes(secret), _payload(tenant, expires, backend_pid), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given):
        return None
    if expires != 0 and expires < (time.time() if now is None else now):
        return None
    return {"tenant": tenant, "expires": expires, "backend_pid": backend_pid}


def _check_setting(name: str) -> str:
    if not _SETTING.match(name):
        raise TenantContextError(f"{name!r} is not a setting name of the form prefix.name")
    return name


@dataclass(frozen=True)
class TenantContext:
    """How the tenant reaches the database: the manifest's names and types, and the mode.

    ``setting``/``tenant_type`` are the manifest's ``tenant.setting`` and
    ``tenant.type``; ``user_setting``/``user_type`` its ``user:`` block (for
    ``legacy_owner`` tables). ``mode="signed"`` (manifest ``context: signed``)
    sends a token signed with ``secret`` (the hex ``rlsgen secret`` printed,
    or its bytes) instead of the bare id. ``idle_in_transaction_timeout_ms``
    is set with the tenant, transaction-locally: PostgreSQL ends a transaction
    left idle that long (the connection is closed and its locks released),
    even when the application process is stuck; 0 or None leaves the role's
    or server's value.
    """

    setting: str = "app.company_id"
    tenant_type: str = "uuid"
    user_setting: str = "app.user_id"
    user_type: str = "uuid"
    mode: str = "plain"
    secret: Optional[Union[str, bytes]] = None
    token_ttl_seconds: int = 300
    idle_in_transaction_timeout_ms: Optional[int] = 60_000

    def __post_init__(self) -> None:
        _check_setting(self.setting)
        _check_setting(self.user_setting)
        for kind in (self.tenant_type, self.user_type):
            if kind not in TENANT_TYPES:
                raise TenantContextError(f"unknown id type {kind!r} (expected one of {', '.join(TENANT_TYPES)})")
        if self.mode not in MODES:
            raise TenantContextError(f"unknown mode {self.mode!r} (expected one of {', '.join(MODES)})")
        if self.mode == "signed" and (self.secret is None or len(_secret_bytes(self.secret)) < 32):
            raise TenantContextError("signed mode needs the context secret (secret=: 32 or more bytes, or their hex)")
        timeout = self.idle_in_transaction_timeout_ms
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 0):
            raise TenantContextError("idle_in_transaction_timeout_ms must be a whole number of milliseconds (0: leave it)")

    @property
    def needs_backend_pid(self) -> bool:
        """Signed tokens name the backend they are valid on: read ``pg_backend_pid()`` in the transaction first."""
        return self.mode == "signed"

    def validate(self, tenant_id: object, user_id: object = None) -> None:
        """Raises TenantIdError unless both ids are values of their types: call it before touching the database."""
        format_tenant_id(self.tenant_type, tenant_id)
        if user_id is not None:
            format_tenant_id(self.user_type, user_id)

    def settings(self, tenant_id: object, user_id: object = None, backend_pid: Optional[int] = None) -> List[Tuple[str, str]]:
        """The (name, value) pairs to ``set_config(..., true)`` for this tenant (and user), validated."""
        tenant = format_tenant_id(self.tenant_type, tenant_id)
        if self.mode == "signed":
            if backend_pid is None:
                raise TenantContextError("signed mode: the token is bound to the backend; pass pg_backend_pid() of this transaction")
            expires = 0 if self.token_ttl_seconds == 0 else int(time.time()) + self.token_ttl_seconds
            tenant = sign_tenant_token(self.secret or b"", tenant, expires, backend_pid)
        pairs = [(self.setting, tenant)]
        if user_id is not None:
            pairs.append((self.user_setting, format_tenant_id(self.user_type, user_id)))
        pairs.extend(self._timeout())
        return pairs

    def cleared(self) -> List[Tuple[str, str]]:
        """Pairs for a transaction that runs before any tenant is known: both variables empty, which matches no row."""
        return [(self.setting, ""), (self.user_setting, "")] + self._timeout()

    def _timeout(self) -> List[Tuple[str, str]]:
        timeout = self.idle_in_transaction_timeout_ms
        return [] if not timeout else [(IDLE_TIMEOUT_SETTING, str(timeout))]


def set_config_statement(pairs: Sequence[Tuple[str, str]], named: bool = False) -> Tuple[str, Any]:
    """``SELECT set_config($1, $2, true), ...`` for the pairs, every name and value a bound parameter.

    DB-API ``format`` placeholders and a list (psycopg2, psycopg 3), or with
    ``named=True`` SQLAlchemy's ``:name`` placeholders and a dict.
    """
    if not pairs:
        raise TenantContextError("nothing to set")
    if named:
        calls = ", ".join(f"set_config(:name_{i}, :value_{i}, true)" for i in range(len(pairs)))
        params = {f"{kind}_{i}": item for i, pair in enumerate(pairs) for kind, item in zip(("name", "value"), pair)}
        return f"SELECT {calls}", params
    calls = ", ".join("set_config(%s, %s, true)" for _ in pairs)
    return f"SELECT {calls}", [item for pair in pairs for item in pair]


def _idle(connection: Any) -> bool:
    # psycopg 3 and psycopg2 (2.8+) both expose libpq's transaction status as info.transaction_status; 0 is IDLE.
    status = getattr(getattr(connection, "info", None), "transaction_status", None)
    return status is None or int(status) == 0


@contextmanager
def tenant_transaction(connection: Any, context: TenantContext, tenant_id: object, user_id: object = None) -> Iterator[Any]:
    """One transaction on a psycopg 3 or psycopg2 connection whose first statement sets the tenant.

    Commits when the block ends, rolls back when it raises; the tenant ends
    with the transaction either way. Refuses a connection that is already in
    a transaction (its earlier statements would have run without this
    tenant) or in autocommit mode (each statement would be its own
    transaction, and the tenant would end with the first)::

        with tenant_transaction(conn, context, user.company_id) as conn:
            rows = conn.cursor().execute("SELECT * FROM deals").fetchall()
    """
    context.validate(tenant_id, user_id)
    if getattr(connection, "autocommit", False):
        raise TenantContextError("the connection is in autocommit mode: every statement would be its own transaction, and the tenant would end with the first")
    if not _idle(connection):
        raise TenantContextError("the connection is already in a transaction: its earlier statements ran without this tenant; commit or roll back first")
    try:
        cursor = connection.cursor()
        try:
            backend_pid = None
            if context.needs_backend_pid:
                cursor.execute("SELECT pg_backend_pid()")
                backend_pid = int(cursor.fetchone()[0])
            cursor.execute(*set_config_statement(context.settings(tenant_id, user_id, backend_pid)))
        finally:
            cursor.close()
        yield connection
    except BaseException:
        try:
            connection.rollback()
        except Exception:
            pass  # a broken connection: the server rolled the transaction back when the connection closed
        raise
    connection.commit()
