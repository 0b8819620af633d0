"""Opaque bearer tokens: the client holds the token, the sessions table its sha256."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What sessions.token_hash stores, and what lookups.session_by_token is found by."""
    return hashlib.sha256(token.encode()).hexdigest()
