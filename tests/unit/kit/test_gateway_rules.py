"""The gateway's pure parts: which service owns a path, the sliding windows, passwords."""
from gateway.domain.passwords import hash_password, password_problem, verify_password
from gateway.domain.routes import upstream_for
from gateway.domain.throttle import Window


def test_every_public_path_has_its_owner():
    assert upstream_for("/providers/1/approve") == "registry"
    assert upstream_for("/groups/abc/cost") == "catalog"
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
