"""What a process loads at start: not the modules only a rare request or the start itself needs — each
stays in a long-running process's memory for good once imported. Billing: a spreadsheet's openpyxl, the
reconciliation's HTTP client (httpx, with rich and pygments), the font subsetter; the gateway (its own
upstream client is aiohttp): httpx and what it brings."""
from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(("app", "unwanted"), [
    ("services.billing.app", ("openpyxl", "httpx", "rich", "fontTools.subset")),
    ("gateway.app", ("httpx", "rich", "pygments")),
])
def test_the_app_leaves_the_rarely_needed_modules_unloaded(app, unwanted):
    code = (f"import sys; import {app}; "
            f"print(sorted(m for m in sys.modules if m.startswith({unwanted!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
