"""The CRM API over row-level security: each company sees its rows, whatever the handler forgets."""

import uuid

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from crm_testing import as_user, password_of
from crm.deps import get_db
from crm.main import create_app
from crm.models import Contact
from rlsgen_context import TenantRequiredError
from support import NADAN, SUNSTONE, admin_count, dialect_url, env_url, fx_id, unique

NADAN_USER, SUNSTONE_USER = "user:nadan:2", "user:sunstone:1"


@pytest.mark.parametrize("user, company", [(NADAN_USER, NADAN), (SUNSTONE_USER, SUNSTONE)])
def test_each_company_lists_only_its_contacts_and_deals(client, admin, user: str, company: str) -> None:
    for path, table in (("/api/contacts/", "contacts"), ("/api/deals/", "deals")):
        response = client.get(path, headers=as_user(user))
        assert response.status_code == 200, response.text
        rows = response.json()
        assert {row["company_id"] for row in rows} == {company}
        assert len(rows) == admin_count(admin, f"SELECT count(*) FROM {table} WHERE company_id = %s AND NOT is_deleted", company)
    summary = client.get("/api/deals/summary", headers=as_user(user)).json()
    assert summary["deals"] == admin_count(admin, "SELECT count(*) FROM deals WHERE company_id = %s", company)


def test_legacy_rows_are_visible_to_their_company(client) -> None:
    # Seed 000: contacts created before company_id existed; rlsgen's backfill gave them their owner's company.
    names = {row["first_name"] for row in client.get("/api/contacts/", headers=as_user(NADAN_USER)).json()}
    assert {"Legacy25", "Legacy26"} <= names


def test_created_rows_belong_to_the_callers_company_and_stay_there(client, admin) -> None:
    name = unique("Ada")
    created = client.post("/api/contacts/", json={"first_name": name, "email": "ada@example.com"}, headers=as_user(NADAN_USER))
    assert created.status_code == 201, created.text
    contact = created.json()
    assert contact["company_id"] == NADAN
    path = f"/api/contacts/{contact['id']}"
    assert client.get(path, headers=as_user(NADAN_USER)).status_code == 200
    assert client.get(path, headers=as_user(SUNSTONE_USER)).status_code == 404
    assert client.delete(path, headers=as_user(SUNSTONE_USER)).status_code == 404
    assert name not in {row["first_name"] for row in client.get("/api/contacts/", headers=as_user(SUNSTONE_USER)).json()}
    assert admin_count(admin, "SELECT count(*) FROM contacts WHERE id = %s AND NOT is_deleted", contact["id"]) == 1
    assert client.delete(path, headers=as_user(NADAN_USER)).status_code == 204
    assert client.get(path, headers=as_user(NADAN_USER)).status_code == 404


def test_a_deal_cannot_point_at_another_companys_contact(client) -> None:
    foreign = client.post("/api/deals/", json={"title": "poach", "contact_id": fx_id("contact:nadan:1")}, headers=as_user(SUNSTONE_USER))
    assert foreign.status_code == 422
    missing = client.post("/api/deals/", json={"title": "ghost", "contact_id": str(uuid.uuid4())}, headers=as_user(SUNSTONE_USER))
    assert (missing.status_code, missing.json()) == (foreign.status_code, foreign.json())
    own = client.post("/api/deals/", json={"title": unique("own"), "value": "1200.50", "contact_id": fx_id("contact:sunstone:1")}, headers=as_user(SUNSTONE_USER))
    assert own.status_code == 201, own.text
    assert own.json()["company_id"] == SUNSTONE


def test_a_super_admins_session_gets_403_and_nothing_else(client) -> None:
    # Found by its token through lookups.session_by_token: the user, and no company.
    for path in ("/api/contacts/", "/api/deals/", "/api/deals/summary"):
        response = client.get(path, headers=as_user("user:superadmin"))
        assert (response.status_code, response.json()) == (403, {"detail": "No company associated with user"})
    assert client.post("/api/contacts/", json={"first_name": "nobody"}, headers=as_user("user:superadmin")).status_code == 403


def test_no_token_or_an_unknown_one_gets_401(client) -> None:
    assert client.get("/api/contacts/").status_code == 401
    forged = as_user(NADAN_USER)["Authorization"][:-4] + "0000"
    assert client.get("/api/contacts/", headers={"Authorization": forged}).status_code == 401


def test_sign_in_through_the_lookup_opens_a_session_of_the_users_company(client, admin) -> None:
    email = "sun2@example.com"
    signed = client.post("/api/auth/login", json={"email": email, "password": password_of(email)})
    assert signed.status_code == 200, signed.text
    headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    rows = client.get("/api/contacts/", headers=headers).json()
    assert {row["company_id"] for row in rows} == {SUNSTONE}
    # The session row belongs to the company (the database filled company_id); only its hash is stored.
    assert admin_count(admin, "SELECT count(*) FROM sessions WHERE user_id = %s AND company_id = %s AND user_agent = 'testclient'", fx_id("user:sunstone:2"), SUNSTONE) >= 1


def test_sign_in_refuses_a_wrong_password_and_an_unknown_email_alike(client) -> None:
    wrong = client.post("/api/auth/login", json={"email": "sun2@example.com", "password": "pw:guess"})
    unknown = client.post("/api/auth/login", json={"email": "nobody@example.com", "password": "pw:nobody@example.com"})
    pattern = client.post("/api/auth/login", json={"email": "%", "password": "pw:%"})
    assert (wrong.status_code, wrong.json()) == (unknown.status_code, unknown.json()) == (pattern.status_code, pattern.json()) == (401, {"detail": "Incorrect email or password"})


@pytest.mark.parametrize("email", ["admin@example.com", "orphan@example.com"])
def test_users_without_a_company_cannot_sign_in_to_the_api(client, email: str) -> None:
    response = client.post("/api/auth/login", json={"email": email, "password": password_of(email)})
    assert (response.status_code, response.json()) == (403, {"detail": "No company associated with user"})


def test_handlers_that_skip_the_tenant_or_name_another_company_fail(admin) -> None:
    app = create_app(dialect_url(env_url("RLSGEN_CRM_URL"), "psycopg2"))
    sessions = app.state.sessions

    @app.get("/api/forgetful/contacts")
    def forgetful_list():
        with sessions() as db:  # no Depends(get_db): no tenant
            return [str(c.id) for c in db.query(Contact).all()]

    @app.get("/api/forgetful/raw")
    def forgetful_raw():
        with sessions.kw["bind"].connect() as connection:
            return connection.execute(text("SELECT id FROM contacts")).scalars().all()

    @app.post("/api/forgetful/contacts")
    def wrong_company(db: Session = Depends(get_db)):
        db.add(Contact(company_id=uuid.UUID(SUNSTONE), first_name=name))
        db.commit()

    name = unique("poached")
    try:
        with TestClient(app) as client:
            with pytest.raises(TenantRequiredError, match="has no tenant"):
                client.get("/api/forgetful/contacts")
            with pytest.raises(TenantRequiredError, match="outside a tenant transaction"):
                client.get("/api/forgetful/raw")
            with pytest.raises(DBAPIError, match="row-level security"):
                client.post("/api/forgetful/contacts", headers=as_user(NADAN_USER))
    finally:
        sessions.kw["bind"].dispose()
    assert admin_count(admin, "SELECT count(*) FROM contacts WHERE first_name = %s", name) == 0
