"""Bearer tokens naming a user: a stand-in for the application's JWTs (stdlib HMAC)."""

import hashlib
import hmac
import uuid
from typing import Optional


def issue_token(secret: bytes, user_id: uuid.UUID) -> str:
    mac = hmac.new(secret, str(user_id).encode(), hashlib.sha256).hexdigest()
    return f"{user_id}.{mac}"


def read_token(secret: bytes, token: str) -> Optional[uuid.UUID]:
    user, _, mac = token.partition(".")
    expected = hmac.new(secret, user.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac):
        return None
    try:
        return uuid.UUID(user)
    except ValueError:
        return None
