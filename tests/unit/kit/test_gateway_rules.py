"""The gateway's pure parts: which service owns a path, the sliding windows, passwords, tokens."""
import uuid
from datetime import UTC, datetime

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.domain.passwords import hash_password, password_problem, verify_password
from gateway.domain.routes import upstream_for
from gateway.domain.throttle import LoginThrottle, Window
from gateway.models import Account
from gateway.tokens import Signer


def test_every_public_path_has_its_owner():
    assert upstream_for("/providers/1/approve") == "registry"
    assert upstream_for("/groups/abc/cost") == "catalog"
    assert upstream_for("/groups/abc") == "catalog"
    assert upstream_for("/municipalities") is None  # the gateway answers it itself
    assert upstream_for("/municipalities/chegem/periods/2026/open") == "certificates"
    assert upstream_for("/municipalities/chegem/months/2026-09/close") == "billing"
    assert upstream_for("/municipalities/chegem") is None
    assert upstream_for("/groups/abc/attendance") == "billing"
    assert upstream_for("/reports/ledger") == "certificates"
    assert upstream_for("/reports/reconciliation") == "billing"
    assert upstream_for("/billing/months/2026-09/close") == "billing"
    assert upstream_for("/providersX") is None and upstream_for("/nothing") is None


def test_a_path_climbing_out_of_its_branch_has_no_owner():
    assert upstream_for("/programs/x/../../../metrics") is None
    assert upstream_for("/contracts/./1") is None and upstream_for("/children/..") is None


def test_a_window_blocks_after_the_limit_and_forgets_old_hits():
    now = [0.0]
    w = Window(limit=2, window_s=10, clock=lambda: now[0])
    w.hit("a")
    w.hit("a")
    assert w.blocked_for("a") == 10 and w.blocked_for("b") == 0
    now[0] = 10.5
    assert w.blocked_for("a") == 0


def test_passwords_are_argon2id_and_checked():
    h = hash_password("river-stone-42")
    assert h.startswith("$argon2id$") and verify_password(h, "river-stone-42")
    assert not verify_password(h, "river-stone-43") and not verify_password(None, "river-stone-42")
    assert password_problem("short1") and password_problem("onlyletterslong") and not password_problem("abc1234567")


def test_failed_logins_block_the_account_and_the_address_and_a_success_forgives_the_account():
    now = [0.0]
    throttle = LoginThrottle(per_account=2, per_address=3, window_s=60, clock=lambda: now[0])
    throttle.failed("anna", "10.0.0.1")
    throttle.failed("anna", "10.0.0.1")
    assert throttle.blocked_for("anna", "10.0.0.2") == 60 and throttle.blocked_for("boris", "10.0.0.1") == 0
    throttle.succeeded("anna")
    assert throttle.blocked_for("anna", "10.0.0.2") == 0
    throttle.failed("boris", "10.0.0.1")
    assert throttle.blocked_for("carl", "10.0.0.1") == 60, "one address guessing many accounts"


def test_an_access_token_is_timed_by_the_clock_it_is_given():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    signer = Signer(key, "k", "pfdo-gateway", "pfdo", access_ttl_s=900)
    account = Account(id=uuid.uuid4(), role="operator", municipality="chegem", provider_id=None)
    token = signer.access_token(account, datetime(2026, 9, 2, 9, 0, tzinfo=UTC))
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["iat"] == int(datetime(2026, 9, 2, 9, 0, tzinfo=UTC).timestamp())
    assert claims["exp"] - claims["iat"] == 900 and claims["municipality"] == "chegem"


def test_a_document_s_hash_and_name_come_back_through_the_proxy():
    """A contract's PDF keeps its ETag and X-Document-SHA256 (the family signs the hash it read)."""
    from multidict import CIMultiDict, CIMultiDictProxy

    from gateway.upstreams import UpstreamResponse, returned_headers
    pdf = UpstreamResponse(200, CIMultiDictProxy(CIMultiDict({
        "Content-Type": "application/pdf", "ETag": '"ab"', "X-Document-SHA256": "ab", "X-Internal": "no",
        "Content-Disposition": 'inline; filename="offer-DS-2026-000001.pdf"'})), b"%PDF-")
    assert {k.lower() for k in returned_headers(pdf)} == {"content-type", "etag", "x-document-sha256",
                                                           "content-disposition"}
