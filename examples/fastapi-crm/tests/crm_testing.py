"""The example app on the migrated seed CRM, driven with FastAPI's TestClient."""

import pytest
from fastapi.testclient import TestClient

from crm.main import create_app
from support import dialect_url, env_url


@pytest.fixture(scope="session")
def app():
    application = create_app(dialect_url(env_url("RLSGEN_CRM_URL"), "psycopg2"))
    yield application
    application.state.sessions.kw["bind"].dispose()


@pytest.fixture(scope="session")
def client(app):
    with TestClient(app) as test_client:
        yield test_client


def as_user(key: str) -> dict:
    """Authorization headers of a signed-in user of the fixture: its session's
    bearer token, whose sha256 is sessions.token_hash (fx_token in
    test/fixtures/crm-legacy/data.sql)."""
    return {"Authorization": f"Bearer token:{key.removeprefix('user:')}"}


def password_of(email: str) -> str:
    """The fixture's passwords (fx_password in test/fixtures/crm-legacy/data.sql)."""
    return f"pw:{email}"
