"""Request and response bodies. No company_id in requests: the database sets it."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Optional

from pydantic import BaseModel


class Stored(BaseModel):
    """What a stored row adds: its id, its company (the database sets it), its owner and creation time."""

    id: uuid.UUID
    company_id: uuid.UUID
    owner_id: Optional[uuid.UUID]
    created_at: datetime

    class Config:
        orm_mode = True


class ContactIn(BaseModel):
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None


class ContactOut(ContactIn, Stored):
    pass


class DealIn(BaseModel):
    title: str
    value: Decimal = Decimal(0)
    contact_id: Optional[uuid.UUID] = None


class DealOut(DealIn, Stored):
    pass


class DealSummary(BaseModel):
    deals: int
    total_value: Decimal


class SignIn(BaseModel):
    email: str
    password: str


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
