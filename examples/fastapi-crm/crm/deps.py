"""Request dependencies: who is calling, and a session scoped to their company."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterator, Optional

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import text
from sqlalchemy.orm import Session

from rlsgen_sqlalchemy import pre_tenant, set_tenant

from .auth import token_hash
from .models import User

bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class CurrentUser:
    id: uuid.UUID
    company_id: Optional[uuid.UUID]


# --8<-- [start:lookups]
def find_session(db: Session, token: str) -> Optional[Any]:
    """The pre-tenant lookup of every request: the session by its token's hash.

    users and sessions are tenant tables: before the company is known they
    show nothing, and the one way in is rlsgen's narrow function, which
    returns the session's user and company for that exact hash and nothing else.
    """
    return db.execute(text("SELECT user_id, company_id, expires_at FROM rlsgen_lookup.session_by_token(:hash)"), {"hash": token_hash(token)}).one_or_none()


def find_sign_in(db: Session, email: str) -> Optional[Any]:
    """The sign-in lookup: the user's id, company and password hash by exact email."""
    return db.execute(text("SELECT id, company_id, password_hash FROM rlsgen_lookup.user_by_email(:email)"), {"email": email}).one_or_none()
# --8<-- [end:lookups]


def get_current_active_user(request: Request, credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> CurrentUser:
    if credentials is None:
        raise HTTPException(status_code=401, detail="Not authenticated")
    with request.app.state.sessions() as db:
        pre_tenant(db)
        found = find_session(db, credentials.credentials)
    if found is None or found.expires_at <= datetime.now(timezone.utc):
        raise HTTPException(status_code=401, detail="Not authenticated")
    if found.company_id is None:
        # A super admin: no company, so nothing of this API (they sign in to crm_support's tools).
        return CurrentUser(id=found.user_id, company_id=None)
    with request.app.state.sessions() as db:
        # Within the company the user row is visible again: a deleted user's sessions stop working.
        set_tenant(db, found.company_id, user_id=found.user_id)
        user = db.get(User, found.user_id)
        if user is None or user.is_deleted:
            raise HTTPException(status_code=401, detail="Not authenticated")
        return CurrentUser(id=user.id, company_id=user.company_id)


def get_db(request: Request, current_user: CurrentUser = Depends(get_current_active_user)) -> Iterator[Session]:
    if current_user.company_id is None:
        raise HTTPException(status_code=403, detail="No company associated with user")
    with request.app.state.sessions() as db:
        set_tenant(db, current_user.company_id, user_id=current_user.id)
        yield db
