"""Request and response bodies. No company_id in requests: the database sets it."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Optional

from pydantic import BaseModel


class ContactIn(BaseModel):
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None


class ContactOut(ContactIn):
    id: uuid.UUID
    company_id: uuid.UUID
    owner_id: Optional[uuid.UUID]
    created_at: datetime

    class Config:
        orm_mode = True


class DealIn(BaseModel):
    title: str
    value: Decimal = Decimal(0)
    contact_id: Optional[uuid.UUID] = None


class DealOut(DealIn):
    id: uuid.UUID
    company_id: uuid.UUID
    owner_id: Optional[uuid.UUID]
    created_at: datetime

    class Config:
        orm_mode = True


class DealSummary(BaseModel):
    deals: int
    total_value: Decimal
