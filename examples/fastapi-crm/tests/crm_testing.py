"""The example app on the migrated seed CRM, driven with FastAPI's TestClient."""

import os
import uuid

import pytest
from fastapi.testclient import TestClient

from crm.auth import issue_token
from crm.main import create_app
from support import dialect_url, env_url, fx_id

SECRET = os.urandom(32)


@pytest.fixture(scope="session")
def app():
    application = create_app(dialect_url(env_url("RLSGEN_CRM_URL"), "psycopg2"), SECRET)
    yield application
    application.state.sessions.kw["bind"].dispose()


@pytest.fixture(scope="session")
def client(app):
    with TestClient(app) as test_client:
        yield test_client


def as_user(key: str) -> dict:
    """Authorization headers of a user of the fixture (test/fixtures/crm-legacy/data.sql)."""
    return {"Authorization": f"Bearer {issue_token(SECRET, uuid.UUID(fx_id(key)))}"}
