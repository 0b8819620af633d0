"""Request dependencies: who is calling, and a session scoped to their company."""

import uuid
from dataclasses import dataclass
from typing import Iterator, Optional

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from rlsgen_sqlalchemy import pre_tenant, set_tenant

from .auth import read_token
from .models import User

bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class CurrentUser:
    id: uuid.UUID
    company_id: Optional[uuid.UUID]
    role: str


def load_user(db: Session, user_id: uuid.UUID) -> Optional[User]:
    # Extension point, the pre-tenant lookup: the user is found before any
    # tenant is known, here by reading the users table, which policies.yaml
    # exempts for sign-in. Where rlsgen generates narrow pre-tenant lookups
    # (sign-in by email), call them here instead, in this pre_tenant() session.
    return db.get(User, user_id)


def get_current_active_user(request: Request, credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> CurrentUser:
    user_id = None if credentials is None else read_token(request.app.state.token_secret, credentials.credentials)
    if user_id is None:
        raise HTTPException(status_code=401, detail="Not authenticated")
    with request.app.state.sessions() as db:
        pre_tenant(db)
        user = load_user(db, user_id)
        if user is None or user.is_deleted:
            raise HTTPException(status_code=401, detail="Not authenticated")
        return CurrentUser(id=user.id, company_id=user.company_id, role=user.role)


def get_db(request: Request, current_user: CurrentUser = Depends(get_current_active_user)) -> Iterator[Session]:
    if current_user.company_id is None:
        raise HTTPException(status_code=403, detail="No company associated with user")
    with request.app.state.sessions() as db:
        set_tenant(db, current_user.company_id, user_id=current_user.id)
        yield db
