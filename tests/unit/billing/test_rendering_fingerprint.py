"""The fingerprint that names a kept offer rendering: the same inputs name it alike, and any input
that changes the PDF (markup, template version, title, creation moment, renderer) names another."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from services.billing.domain.documents import rendering_fingerprint

AT = datetime(2026, 8, 28, 9, 30, tzinfo=UTC)
BASE = ("# Договор-оферта\n\nТекст.", "kbr/offer-v1", "Договор-оферта № ДС-2026-000001", AT, "renderer-a")


def test_the_same_inputs_give_the_same_fingerprint():
    assert rendering_fingerprint(*BASE) == rendering_fingerprint(*BASE)
    assert len(rendering_fingerprint(*BASE)) == 64 and int(rendering_fingerprint(*BASE), 16) >= 0


def test_every_input_counts():
    changed = [("# Договор-оферта\n\nТекст!",) + BASE[1:], BASE[:1] + ("kbr/offer-v2",) + BASE[2:],
               BASE[:2] + ("Договор-оферта № ДС-2026-000002",) + BASE[3:],
               BASE[:3] + (AT + timedelta(seconds=1),) + BASE[4:], BASE[:4] + ("renderer-b",)]
    prints = {rendering_fingerprint(*inputs) for inputs in changed}
    assert len(prints) == len(changed) and rendering_fingerprint(*BASE) not in prints


def test_the_same_moment_in_another_zone_counts_as_another_input():
    # Conservative: the renderer may write the offset it is given; a miss only costs a rendering.
    moscow = AT.astimezone(timezone(timedelta(hours=3)))
    assert rendering_fingerprint(*BASE[:3], moscow, BASE[4]) != rendering_fingerprint(*BASE)


def test_inputs_cannot_run_into_each_other():
    assert rendering_fingerprint("ab", "c", "t", AT, "r") != rendering_fingerprint("a", "bc", "t", AT, "r")
