"""Access tokens (RS256, short-lived, role and scope in the claims) and the JWKS that lets every
service check them itself. Refresh tokens and password-reset tokens are random, stored hashed,
used once."""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime

import jwt
from cryptography.hazmat.primitives import serialization

from gateway.models import Account


class Signer:
    def __init__(self, private_pem: str, key_id: str, issuer: str, audience: str, access_ttl_s: int) -> None:
        self._key = serialization.load_pem_private_key(private_pem.encode(), password=None)
        self.key_id, self.issuer, self.audience, self.access_ttl_s = key_id, issuer, audience, access_ttl_s
        self.public_pem = self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def access_token(self, account: Account, now: datetime) -> str:
        issued = int(now.timestamp())
        claims = {"sub": str(account.id), "role": account.role, "iss": self.issuer, "aud": self.audience,
                  "iat": issued, "exp": issued + self.access_ttl_s}
        if account.municipality:
            claims["municipality"] = account.municipality
        if account.provider_id:
            claims["provider_id"] = str(account.provider_id)
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.key_id})

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [jwk | {"kid": self.key_id, "use": "sig", "alg": "RS256"}]}


def new_opaque_token() -> tuple[str, str]:
    """(the token its holder keeps, what the database keeps)."""
    token = secrets.token_urlsafe(32)
    return token, opaque_hash(token)


def opaque_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
