"""A signing key for local runs only, kept under ./var/, and a token to try the API with.

In production the gateway holds the key and services get the public half (JWKS)."""
from __future__ import annotations

import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def load_or_create_key(var_dir: Path) -> rsa.RSAPrivateKey:
    path = var_dir / "dev-signing-key.pem"
    if path.exists():
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)
    return key


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def dev_token(key: rsa.RSAPrivateKey, role: str, municipality: str | None, hours: int = 12) -> str:
    now = int(time.time())
    claims = {"sub": f"demo-{role}-{uuid.uuid4().hex[:6]}", "role": role, "iss": "pfdo-gateway", "aud": "pfdo",
              "iat": now, "exp": now + hours * 3600}
    if municipality:
        claims["municipality"] = municipality
    return jwt.encode(claims, key, algorithm="RS256")
