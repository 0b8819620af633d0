"""rlsgen_context without a database: id checks, the statement, the signed token."""

from __future__ import annotations

import json
import os
import uuid

import pytest

from rlsgen_context import (
    TenantContext,
    TenantContextError,
    TenantIdError,
    format_tenant_id,
    read_tenant_token,
    set_config_statement,
    sign_tenant_token,
)

SECRET = "ab" * 32


@pytest.mark.parametrize(
    "tenant_type, value, expected",
    [
        ("uuid", "A00C2FCD-C9CD-A20D-1586-921479A84023", "a00c2fcd-c9cd-a20d-1586-921479a84023"),
        ("uuid", uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        ("bigint", 2**63 - 1, "9223372036854775807"),
        ("bigint", "-42", "-42"),
        ("integer", -(2**31), "-2147483648"),
        ("text", "o'neil; DROP TABLE deals; --", "o'neil; DROP TABLE deals; --"),
    ],
)
def test_valid_ids_become_the_text_set_config_receives(tenant_type: str, value: object, expected: str) -> None:
    assert format_tenant_id(tenant_type, value) == expected


@pytest.mark.parametrize(
    "tenant_type, value",
    [
        ("uuid", None),
        ("uuid", ""),
        ("uuid", "not-a-uuid"),
        ("uuid", 42),
        ("bigint", 2**63),
        ("bigint", True),
        ("bigint", "1e3"),
        ("integer", 2**31),
        ("integer", "7"),
        ("text", ""),
        ("text", "a\x00b"),
    ],
)
def test_missing_empty_and_malformed_ids_raise(tenant_type: str, value: object) -> None:
    with pytest.raises(TenantIdError, match=f"tenant id must be a {tenant_type}"):
        format_tenant_id(tenant_type, value)


def test_the_statement_binds_every_name_and_value() -> None:
    pairs = TenantContext(idle_in_transaction_timeout_ms=5000).settings(uuid.UUID(int=7), user_id=uuid.UUID(int=8))
    sql, params = set_config_statement(pairs)
    assert sql == "SELECT set_config(%s, %s, true), set_config(%s, %s, true), set_config(%s, %s, true)"
    assert params == [
        "app.company_id",
        "00000000-0000-0000-0000-000000000007",
        "app.user_id",
        "00000000-0000-0000-0000-000000000008",
        "idle_in_transaction_session_timeout",
        "5000",
    ]
    sql, params = set_config_statement(pairs[:1], named=True)
    assert sql == "SELECT set_config(:name_0, :value_0, true)"
    assert params == {"name_0": "app.company_id", "value_0": "00000000-0000-0000-0000-000000000007"}
    assert TenantContext(idle_in_transaction_timeout_ms=None).cleared() == [("app.company_id", ""), ("app.user_id", "")]


def test_context_options_are_checked() -> None:
    with pytest.raises(TenantContextError, match="prefix.name"):
        TenantContext(setting="company_id")
    with pytest.raises(TenantContextError, match="unknown id type"):
        TenantContext(tenant_type="int")
    with pytest.raises(TenantContextError, match="needs the context secret"):
        TenantContext(mode="signed", secret="ab" * 8)
    with pytest.raises(TenantContextError, match="milliseconds"):
        TenantContext(idle_in_transaction_timeout_ms=-1)
    with pytest.raises(TenantContextError, match="pg_backend_pid"):
        TenantContext(mode="signed", secret=SECRET).settings(str(uuid.UUID(int=1)))


def test_tokens_are_those_of_the_node_runtime() -> None:
    vectors = os.environ.get("RLSGEN_TOKEN_VECTORS")
    if not vectors:
        pytest.skip("RLSGEN_TOKEN_VECTORS is not set (npm test passes tokens made by signTenantToken)")
    for vector in json.loads(vectors):
        token = sign_tenant_token(vector["secret"], vector["tenant"], vector["expires"], vector["backendPid"])
        assert token == vector["token"]
        assert read_tenant_token(vector["secret"], token, now=0) == {
            "tenant": vector["tenant"],
            "expires": vector["expires"],
            "backend_pid": vector["backendPid"],
        }


def test_forged_expired_and_foreign_tokens_are_not_read() -> None:
    token = sign_tenant_token(SECRET, "tenant-a", 2_000_000_000, 4242)
    assert read_tenant_token(SECRET, token, now=1_000)["tenant"] == "tenant-a"
    assert read_tenant_token(SECRET, token.replace("tenant-a", "tenant-b"), now=1_000) is None
    assert read_tenant_token(SECRET, token, now=2_000_000_001) is None
    assert read_tenant_token("cd" * 32, token, now=1_000) is None
    assert read_tenant_token(SECRET, "v1.0.1.zz.tenant-a") is None
    assert read_tenant_token(bytes.fromhex(SECRET), sign_tenant_token(SECRET, "t", 0, 1), now=10**12) is not None
