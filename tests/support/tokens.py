"""Access tokens signed like the gateway signs them, with a key made for the test run."""
from __future__ import annotations

import time
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class TokenMint:
    def __init__(self, issuer: str = "pfdo-gateway", audience: str = "pfdo") -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.issuer, self.audience = issuer, audience
        self.public_pem = self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def token(self, role: str, *, subject: str | None = None, municipality: str | None = None,
              provider_id: uuid.UUID | None = None, ttl_s: int = 600, **extra: object) -> str:
        now = int(time.time())
        claims = {"sub": subject or str(uuid.uuid4()), "role": role, "iss": self.issuer, "aud": self.audience,
                  "iat": now, "exp": now + ttl_s, **extra}
        if municipality:
            claims["municipality"] = municipality
        if provider_id:
            claims["provider_id"] = str(provider_id)
        return jwt.encode(claims, self._key, algorithm="RS256")

    def headers(self, role: str, **kwargs: object) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, **kwargs)}"}
