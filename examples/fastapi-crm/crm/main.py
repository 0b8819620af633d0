"""The CRM's contacts and deals API. Not one query names company_id: the database does."""

import uuid
from datetime import datetime, timedelta, timezone
from typing import List

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rlsgen_sqlalchemy import pre_tenant, set_tenant

from .auth import new_token, token_hash
from .db import make_sessions
from .deps import CurrentUser, find_sign_in, get_current_active_user, get_db
from .models import Contact, Deal, UserSession
from .schemas import ContactIn, ContactOut, DealIn, DealOut, DealSummary, SignIn, Token

auth = APIRouter(prefix="/api/auth", tags=["auth"])
contacts = APIRouter(prefix="/api/contacts", tags=["contacts"])
deals = APIRouter(prefix="/api/deals", tags=["deals"])


SESSION_LIFETIME = timedelta(days=1)


@auth.post("/login", response_model=Token)
def sign_in(data: SignIn, request: Request):
    with request.app.state.sessions() as db:
        pre_tenant(db)
        user = find_sign_in(db, data.email)
        # The seeds' bcrypt hashes, checked by pgcrypto (passlib's CryptContext in the seeds' apps).
        valid = user is not None and db.execute(text("SELECT crypt(:password, :hash) = :hash"), {"password": data.password, "hash": user.password_hash}).scalar()
    if not valid:
        # The same answer for an unknown email and a wrong password.
        raise HTTPException(status_code=401, detail="Incorrect email or password")
    if user.company_id is None:
        raise HTTPException(status_code=403, detail="No company associated with user")
    token = new_token()
    with request.app.state.sessions() as db:
        set_tenant(db, user.company_id, user_id=user.id)
        db.add(UserSession(user_id=user.id, token_hash=token_hash(token), user_agent=request.headers.get("user-agent"), expires_at=datetime.now(timezone.utc) + SESSION_LIFETIME))
        db.commit()
    return Token(access_token=token)


# --8<-- [start:endpoints]
@contacts.get("/", response_model=List[ContactOut])
def list_contacts(db: Session = Depends(get_db)):
    return db.query(Contact).filter(Contact.is_deleted == False).order_by(Contact.created_at, Contact.id).all()  # noqa: E712


@contacts.post("/", response_model=ContactOut, status_code=201)
def create_contact(data: ContactIn, db: Session = Depends(get_db), current_user: CurrentUser = Depends(get_current_active_user)):
    contact = Contact(**data.dict(), owner_id=current_user.id)
    db.add(contact)
    db.commit()
    db.refresh(contact)
    return contact
# --8<-- [end:endpoints]


@contacts.get("/{contact_id}", response_model=ContactOut)
def get_contact(contact_id: uuid.UUID, db: Session = Depends(get_db)):
    contact = db.query(Contact).filter(Contact.id == contact_id, Contact.is_deleted == False).first()  # noqa: E712
    if contact is None:
        raise HTTPException(status_code=404, detail="Contact not found")
    return contact


@contacts.delete("/{contact_id}", status_code=204)
def delete_contact(contact_id: uuid.UUID, db: Session = Depends(get_db)):
    updated = db.query(Contact).filter(Contact.id == contact_id).update({Contact.is_deleted: True})
    db.commit()
    if updated == 0:
        raise HTTPException(status_code=404, detail="Contact not found")


@deals.get("/", response_model=List[DealOut])
def list_deals(db: Session = Depends(get_db)):
    return db.query(Deal).filter(Deal.is_deleted == False).order_by(Deal.created_at, Deal.id).all()  # noqa: E712


@deals.get("/summary", response_model=DealSummary)
def deal_summary(db: Session = Depends(get_db)):
    count, total = db.execute(select(func.count(Deal.id), func.coalesce(func.sum(Deal.value), 0))).one()
    return DealSummary(deals=count, total_value=total)


@deals.post("/", response_model=DealOut, status_code=201)
def create_deal(data: DealIn, db: Session = Depends(get_db), current_user: CurrentUser = Depends(get_current_active_user)):
    deal = Deal(**data.dict(), owner_id=current_user.id)
    db.add(deal)
    try:
        db.commit()
    except IntegrityError:
        # rlsgen's composite key (company_id, contact_id): another company's
        # contact fails exactly as a contact that does not exist.
        db.rollback()
        raise HTTPException(status_code=422, detail="Contact not found")
    db.refresh(deal)
    return deal


def create_app(database_url: str) -> FastAPI:
    app = FastAPI(title="CRM")
    app.state.sessions = make_sessions(database_url)
    app.include_router(auth)
    app.include_router(contacts)
    app.include_router(deals)
    return app
