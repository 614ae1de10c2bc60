"""Usernames and bcrypt password hashes for the people who work the queue."""

from __future__ import annotations

import re
from functools import lru_cache

import bcrypt

from nlp.review.errors import ValidationError
from nlp.review.types import SYSTEM_ACTOR

DEFAULT_ROUNDS = 12
MIN_PASSWORD_CHARS = 8
# bcrypt reads at most 72 bytes; bcrypt 5 refuses longer input rather than truncating it.
MAX_PASSWORD_BYTES = 72
_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME_RE.match(name):
        raise ValidationError(
            "a username is 1-64 letters, digits, '.', '_', '@' or '-', starting with a "
            f"letter or digit; {username!r} is not"
        )
    if name == SYSTEM_ACTOR:
        raise ValidationError(f"'{SYSTEM_ACTOR}' is reserved for the queue's own actions")
    return name


def _password_bytes(password: str) -> bytes:
    raw = password.encode("utf-8")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValidationError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    if len(raw) > MAX_PASSWORD_BYTES:
        raise ValidationError(f"a password can be at most {MAX_PASSWORD_BYTES} bytes long")
    return raw


def hash_password(password: str, rounds: int = DEFAULT_ROUNDS) -> str:
    return bcrypt.hashpw(_password_bytes(password), bcrypt.gensalt(rounds)).decode("ascii")


def password_matches(password: str, hashed: str | None, rounds: int = DEFAULT_ROUNDS) -> bool:
    """The same work whether or not the user exists (`hashed=None`: checked against a
    dummy hash of the store's cost), so timing does not tell which usernames exist."""
    raw = password.encode("utf-8")
    if hashed is None or len(raw) > MAX_PASSWORD_BYTES:
        bcrypt.checkpw(raw[:MAX_PASSWORD_BYTES], _dummy_hash(rounds))
        return False
    return bcrypt.checkpw(raw, hashed.encode("ascii"))


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> bytes:
    return bcrypt.hashpw(b"no such user", bcrypt.gensalt(rounds))
