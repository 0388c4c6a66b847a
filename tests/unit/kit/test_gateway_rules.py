"""The gateway's pure parts: which service owns a path, passwords, tokens."""
import uuid
from datetime import UTC, datetime

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.domain.passwords import hash_password, password_problem, verify_password
from gateway.domain.routes import upstream_for
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
    assert upstream_for("/reports/certificates") == "certificates"
    assert upstream_for("/reports/contracts") == upstream_for("/reports/payments") == upstream_for("/rules") == "billing"
    assert upstream_for("/municipalities/chegem/months") == "billing"
    assert upstream_for("/municipalities/chegem/periods/2026/runs") == "certificates"
    assert upstream_for("/billing/months/2026-09/close") == "billing"
    assert upstream_for("/providersX") is None and upstream_for("/nothing") is None


def test_a_path_climbing_out_of_its_branch_has_no_owner():
    assert upstream_for("/programs/x/../../../metrics") is None
    assert upstream_for("/contracts/./1") is None and upstream_for("/children/..") is None


def test_passwords_are_argon2id_and_checked():
    h = hash_password("river-stone-42")
    assert h.startswith("$argon2id$") and verify_password(h, "river-stone-42")
    assert not verify_password(h, "river-stone-43") and not verify_password(None, "river-stone-42")
    assert password_problem("short1") and password_problem("onlyletterslong") and not password_problem("abc1234567")


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
