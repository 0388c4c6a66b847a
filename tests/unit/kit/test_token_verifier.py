"""The services' token check remembers the tokens it let in (pfdo_kit/auth.py): the same text again is
answered from memory only while its claims still allow it; anything else is checked in full."""
from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from pfdo_kit.auth import TokenVerifier, remembered_as
from pfdo_kit.errors import ProblemError
from tests.support.tokens import TokenMint


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def mint() -> TokenMint:
    return TokenMint()


def _verifier(mint: TokenMint, clock: Clock) -> TokenVerifier:
    return TokenVerifier([mint.public_pem], mint.issuer, mint.audience, clock=clock)


def _refused(verifier: TokenVerifier, token: str) -> bool:
    try:
        verifier.verify(token)
    except ProblemError as e:
        return e.status == 401
    return False


def test_a_remembered_token_is_checked_in_full_once_past_its_exp(mint, monkeypatch):
    clock = Clock()
    verifier = _verifier(mint, clock)
    token = mint.token("parent", ttl_s=120)
    assert verifier.verify(token).role == "parent"
    decode = jwt.decode
    calls = []
    monkeypatch.setattr(jwt, "decode", lambda *a, **k: calls.append(1) or decode(*a, **k))
    assert verifier.verify(token).role == "parent" and not calls, "answered from memory"
    clock.now += 121
    verifier.verify(token)  # PyJWT's own clock has not moved: the full check still passes
    assert calls == [1], "past its exp the memory does not answer"


def test_a_remembered_token_is_refused_once_it_expires():
    mint = TokenMint()
    verifier = TokenVerifier([mint.public_pem], mint.issuer, mint.audience)
    token = mint.token("parent", ttl_s=1)
    assert verifier.verify(token).role == "parent"
    time.sleep(2.1)  # exp is a whole second at most 1 s ahead
    assert _refused(verifier, token)


def test_a_remembered_token_is_checked_again_after_the_recheck_period(mint, monkeypatch):
    clock = Clock()
    verifier = _verifier(mint, clock)
    token = mint.token("parent", ttl_s=3600)
    verifier.verify(token)
    calls = []
    decode = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *a, **k: calls.append(1) or decode(*a, **k))
    clock.now += TokenVerifier.RECHECK_S + 1
    assert verifier.verify(token).role == "parent" and calls == [1]


def test_another_keys_token_for_a_remembered_subject_is_refused(mint):
    verifier = _verifier(mint, Clock())
    genuine = mint.token("parent", subject="same-person")
    assert verifier.verify(genuine).subject == "same-person"
    claims = jwt.decode(genuine, options={"verify_signature": False})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims | {"role": "admin"}, other_key, algorithm="RS256")
    assert _refused(verifier, forged)
    resigned_same_claims = jwt.encode(claims, other_key, algorithm="RS256")
    assert _refused(verifier, resigned_same_claims), "the same claims under another key: another text"
    header, _, signature = genuine.split(".")
    edited = jwt.encode(claims | {"role": "admin"}, other_key, algorithm="RS256").split(".")[1]
    assert _refused(verifier, f"{header}.{edited}.{signature}"), "the genuine signature over edited claims"
    assert verifier.verify(genuine).role == "parent"


def test_a_token_not_yet_valid_is_not_let_in_early(mint):
    clock = Clock()
    verifier = _verifier(mint, clock)
    early = mint.token("parent", nbf=int(clock.now) + 60)
    assert _refused(verifier, early)
    assert _refused(verifier, early), "a refusal is not remembered as anything"


def test_memory_is_bounded_the_oldest_forgotten_first(mint, monkeypatch):
    monkeypatch.setattr(TokenVerifier, "REMEMBERED", 3)
    verifier = _verifier(mint, Clock())
    tokens = [mint.token("parent") for _ in range(5)]
    for token in tokens:
        verifier.verify(token)
    assert list(verifier._passed) == [remembered_as(t) for t in tokens[2:]]
