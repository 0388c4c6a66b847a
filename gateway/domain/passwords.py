"""Passwords: Argon2id (memory-hard) through argon2-cffi, and what a password must be."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2-cffi's defaults: Argon2id, 64 MiB, 3 passes (RFC 9106 low-memory)
# Verifying against this keeps an unknown e-mail as slow as a wrong password (no account probing).
_DUMMY = _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """None if acceptable; else why not, in Russian."""
    if len(password) < 10:
        return "Пароль — не короче 10 символов"
    if password.isdigit() or password.isalpha():
        return "Пароль должен содержать и буквы, и цифры"
    return None
