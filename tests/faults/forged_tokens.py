"""Forging access tokens from a genuine one: re-signed with the real key but wrong claims, signed
with another key, unsigned (`alg: none`), HMAC-signed with the public key (algorithm confusion),
or with claims edited and the genuine signature kept."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DROP = object()  # a claim value meaning: leave the claim out


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(obj: dict) -> str:
    return _b64(json.dumps(obj, separators=(",", ":")).encode())


class Forge:
    def __init__(self, genuine: str, signing_key_pem: str) -> None:
        self.genuine = genuine
        self.header = jwt.get_unverified_header(genuine)
        self.claims = jwt.decode(genuine, options={"verify_signature": False})
        self._key = serialization.load_pem_private_key(signing_key_pem.encode(), password=None)
        self.public_pem = self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def _claims(self, changes: dict) -> dict:
        merged = self.claims | changes
        return {k: v for k, v in merged.items() if v is not DROP}

    def signed(self, key=None, **changes: object) -> str:
        """Signed RS256 with the real key (or `key`), with the genuine key id."""
        return jwt.encode(self._claims(changes), key or self._key, algorithm="RS256",
                          headers={"kid": self.header.get("kid")})

    def signed_with_another_key(self) -> str:
        return self.signed(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def expired(self) -> str:
        now = int(time.time())
        return self.signed(iat=now - 3600, exp=now - 60)

    def edited(self, **changes: object) -> str:
        """The genuine header and signature around an edited payload."""
        header, _, signature = self.genuine.split(".")
        return f"{header}.{_segment(self._claims(changes))}.{signature}"

    def unsigned(self, **changes: object) -> str:
        return f"{_segment(self.header | {'alg': 'none'})}.{_segment(self._claims(changes))}."

    def hmac_with_public_key(self, **changes: object) -> str:
        """HS256 keyed with the public key's PEM: accepted by a checker that takes `alg` from the token."""
        head = f"{_segment(self.header | {'alg': 'HS256'})}.{_segment(self._claims(changes))}"
        return f"{head}.{_b64(hmac.new(self.public_pem, head.encode(), hashlib.sha256).digest())}"


def forgeries(forge: Forge) -> dict[str, str]:
    """Every forged token by what is wrong with it."""
    other = str(uuid.uuid4())
    return {
        "expired": forge.expired(),
        "signed with another key": forge.signed_with_another_key(),
        "alg none": forge.unsigned(),
        "alg none, role admin": forge.unsigned(role="admin"),
        "HS256 keyed with the public key": forge.hmac_with_public_key(role="admin"),
        "role parent→admin, not re-signed": forge.edited(role="admin"),
        "municipality changed, not re-signed": forge.edited(municipality="neftekumsk"),
        "provider_id added, not re-signed": forge.edited(role="provider", provider_id=other),
        "subject changed, not re-signed": forge.edited(sub=other),
        "no exp": forge.signed(exp=DROP),
        "no sub": forge.signed(sub=DROP),
        "wrong audience": forge.signed(aud="someone-else"),
        "wrong issuer": forge.signed(iss="https://evil.example"),
        "unknown role": forge.signed(role="superuser"),
        "not before the future": forge.signed(nbf=int(time.time()) + 3600),
        "not a JWT": "not-a-token",
        "header only": forge.genuine.split(".")[0],
    }
