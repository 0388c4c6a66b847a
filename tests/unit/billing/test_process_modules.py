"""What billing's process loads at start: not the modules only a rare request or the start itself
needs (a spreadsheet's openpyxl, the reconciliation's HTTP client, the font subsetter) — each stays
in a long-running process's memory for good once imported."""
from __future__ import annotations

import subprocess
import sys


def test_billing_s_app_leaves_the_rarely_needed_modules_unloaded():
    code = ("import sys; import services.billing.app; "
            "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in ('openpyxl', 'httpx', 'rich')}"
            " | {m for m in sys.modules if m.startswith('fontTools.subset')}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
