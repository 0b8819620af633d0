"""The seed CRM's tables the API uses (test/fixtures/crm-legacy/schema.sql)."""

from sqlalchemy import Boolean, Column, DateTime, FetchedValue, ForeignKey, Numeric, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(UUID(as_uuid=True), primary_key=True)
    company_id = Column(UUID(as_uuid=True))  # NULL: a super admin, or a user no company took over
    email = Column(Text, nullable=False)
    full_name = Column(Text)
    role = Column(Text, nullable=False)
    is_deleted = Column(Boolean, nullable=False)


class UserSession(Base):
    """A signed-in client: only the sha256 of its bearer token is stored."""

    __tablename__ = "sessions"
    id = Column(UUID(as_uuid=True), primary_key=True, server_default=FetchedValue())
    user_id = Column(UUID(as_uuid=True), ForeignKey("users.id"), nullable=False)
    # The database fills it from the transaction's tenant (rlsgen's column default).
    company_id = Column(UUID(as_uuid=True), server_default=FetchedValue())
    token_hash = Column(Text, nullable=False)
    user_agent = Column(Text)
    expires_at = Column(DateTime(timezone=True), nullable=False)


class Contact(Base):
    __tablename__ = "contacts"
    id = Column(UUID(as_uuid=True), primary_key=True, server_default=FetchedValue())
    # The database fills it from the transaction's tenant (rlsgen's column default) and its policies check it.
    company_id = Column(UUID(as_uuid=True), server_default=FetchedValue())
    owner_id = Column(UUID(as_uuid=True), ForeignKey("users.id"))
    first_name = Column(Text)
    last_name = Column(Text)
    email = Column(Text)
    phone = Column(Text)
    is_deleted = Column(Boolean, nullable=False, server_default=FetchedValue())
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=FetchedValue())


class Deal(Base):
    __tablename__ = "deals"
    id = Column(UUID(as_uuid=True), primary_key=True, server_default=FetchedValue())
    company_id = Column(UUID(as_uuid=True), server_default=FetchedValue())
    owner_id = Column(UUID(as_uuid=True), ForeignKey("users.id"))
    pipeline_id = Column(UUID(as_uuid=True))
    contact_id = Column(UUID(as_uuid=True), ForeignKey("contacts.id"))
    title = Column(Text, nullable=False)
    value = Column(Numeric(12, 2), nullable=False, server_default=FetchedValue())
    is_deleted = Column(Boolean, nullable=False, server_default=FetchedValue())
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=FetchedValue())
