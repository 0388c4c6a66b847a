"""Checking the gateway's signed access tokens inside every service.

The gateway is not the only lock: each service verifies the token's signature, expiry,
issuer and audience itself, and routes check role and scope.
"""
from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from typing import Annotated, Literal

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, ValidationError

from pfdo_kit.errors import ProblemError

# operator: a municipal operator (its token names its municipality: its children, certificates,
# funding periods, agreements, its payer's month and reports); regional_operator: the region's
# (rules, the providers' registry, certification, every municipality's reports); admin: everything.
Role = Literal["parent", "provider", "operator", "regional_operator", "admin"]


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: str
    role: Role
    municipality: str | None = None
    provider_id: uuid.UUID | None = None

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.subject}"


def unauthorized() -> ProblemError:
    return ProblemError(401, "unauthorized", "Требуется вход в систему")


def forbidden() -> ProblemError:
    return ProblemError(403, "forbidden", "Недостаточно прав для этого действия")


class TokenVerifier:
    """Checks an access token's signature (RS256, against the configured keys and the gateway's JWKS),
    expiry, issuer and audience, and gives its principal.

    The keys are parsed once, here: PyJWT parses a PEM given as a string again on every call.

    A token that passed is remembered, by the SHA-256 of its exact text, with its principal and its
    validity window; the same text again is answered from memory while `iat`/`nbf` ≤ now < `exp` still
    hold, as a full check would. The same text means the same header, claims and signature, so a forged
    or edited token (a different signature, other claims, another key) is never found there and is
    checked in full (finding it would take a SHA-256 collision). An access token is never revoked before
    its `exp` (what ends a session is its refresh token, at the gateway), so remembering one changes no
    answer, with one exception bounded here: a key dropped from the gateway's JWKS stops a remembered
    token at most `RECHECK_S` later, as PyJWKClient's own key cache (`lifespan=300`) already lets it
    through for up to five minutes.
    Only answers that let a token in are kept (a refused one is checked again each time), at most
    `REMEMBERED` of them, the oldest forgotten first: ~0.8 MB (by the token's text, 4 096 of them held
    6 MB, and put the gateway and billing over 150 MB in a 10 000-child rush)."""

    ALGORITHMS = ["RS256"]
    REMEMBERED = 1024
    RECHECK_S = 300

    def __init__(self, public_keys_pem: list[str], issuer: str, audience: str, jwks_url: str | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        rsa = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256)
        self._keys = [jwt.algorithms.RSAAlgorithm.from_jwk(k) if k.lstrip().startswith("{") else rsa.prepare_key(k)
                      for k in public_keys_pem]
        self._issuer, self._audience = issuer, audience
        # The gateway's published keys, fetched on first use and cached (a new key id refetches).
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=3) if jwks_url else None
        self._clock = clock
        self._passed: dict[bytes, tuple[Principal, float, float]] = {}  # sha256(token) → (principal, from, until)

    def _candidate_keys(self, token: str) -> list:
        if self._jwks is None:
            return self._keys
        try:
            return [self._jwks.get_signing_key_from_jwt(token).key, *self._keys]
        except jwt.PyJWTError:  # not a JWT, unknown key id, gateway unreachable: the configured keys decide
            return self._keys

    def verify(self, token: str) -> Principal:
        now, key = self._clock(), remembered_as(token)
        if (passed := self._passed.get(key)) is not None:
            principal, valid_from, valid_until = passed
            if valid_from <= now < valid_until:
                return principal
            self._passed.pop(key, None)
        principal, claims = self._check(token)
        self._remember(key, principal, claims, now)
        return principal

    def _check(self, token: str) -> tuple[Principal, dict]:
        for key in self._candidate_keys(token):
            try:
                claims = jwt.decode(
                    token, key, algorithms=self.ALGORITHMS, issuer=self._issuer, audience=self._audience,
                    options={"require": ["exp", "iat", "sub", "iss", "aud"]},
                )
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError:
                raise unauthorized() from None
            try:
                return Principal(
                    subject=claims["sub"], role=claims.get("role"),
                    municipality=claims.get("municipality"), provider_id=claims.get("provider_id"),
                ), claims
            except ValidationError:
                raise unauthorized() from None
        raise unauthorized()

    def _remember(self, key: bytes, principal: Principal, claims: dict, now: float) -> None:
        # PyJWT has just checked that these are integers, with iat ≤ now, nbf ≤ now and now < exp.
        valid_from = max(int(claims["iat"]), int(claims.get("nbf", claims["iat"])))
        valid_until = min(int(claims["exp"]), now + self.RECHECK_S)
        while len(self._passed) >= self.REMEMBERED:
            self._passed.pop(next(iter(self._passed)), None)
        self._passed[key] = (principal, valid_from, valid_until)


def remembered_as(token: str) -> bytes:
    """What a verifier remembers a token by: 32 bytes instead of its ~800 characters."""
    return hashlib.sha256(token.encode()).digest()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


# Declare the bearer scheme on every operation that reads the principal (the document's Authorize
# button); the token itself is read by `_bearer`, which also takes a bare "bearer x". An operation
# that works without a token too is marked with its own scheme name, which pfdo_kit/openapi.py
# turns into "bearer or nothing".
_BEARER_DOC = HTTPBearer(scheme_name="bearer", auto_error=False)
_OPTIONAL_BEARER_DOC = HTTPBearer(scheme_name="bearer_optional", auto_error=False)


async def optional_principal(request: Request,
                             _: Annotated[object, Depends(_OPTIONAL_BEARER_DOC)] = None) -> Principal | None:
    token = _bearer(request)
    if token is None:
        return None
    return request.app.state.verifier.verify(token)


async def current_principal(request: Request, _: Annotated[object, Depends(_BEARER_DOC)] = None) -> Principal:
    principal = await optional_principal(request)
    if principal is None:
        raise unauthorized()
    return principal


def require_role(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        raise forbidden()


def is_payer_staff(principal: Principal | None, municipality: str | None) -> bool:
    """Who changes a municipality's objects (its children, certificates, periods, agreements, its
    month): an admin, or that municipality's operator."""
    return principal is not None and (
        principal.role == "admin" or (principal.role == "operator" and principal.municipality == municipality))


def is_region_staff(principal: Principal | None) -> bool:
    """Who runs the region: the providers' registry, certification, the rules. An admin or a
    regional operator."""
    return principal is not None and principal.role in ("admin", "regional_operator")


def sees_municipality(principal: Principal | None, municipality: str | None) -> bool:
    """Who reads a municipality's objects and reports: its own staff and the region's."""
    return is_region_staff(principal) or is_payer_staff(principal, municipality)
