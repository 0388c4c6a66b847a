"""A real browser for the Navigator's tests: Debian's Chromium (/usr/bin/chromium, never a downloaded build)
driven by Playwright, and a `Look` at each page: a screenshot at phone and desktop widths kept under
test-artifacts/, and axe-core's accessibility check (bundled by axe-playwright-python, nothing fetched)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.async_playwright import Axe

from tests.support.waiting import eventually

CHROMIUM = os.environ.get("PFDO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "navigator"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
SERIOUS = ("serious", "critical")


def launch_options() -> dict:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM}: apt-get install -y chromium chromium-driver")
    return {"executable_path": CHROMIUM, "headless": True, "args": ["--no-sandbox", "--disable-dev-shm-usage"]}


@dataclass
class Look:
    """Every page the journey visits: screenshots at both widths and axe's serious or critical findings."""

    axe: Axe = field(default_factory=Axe)
    seen: list[str] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)

    async def at(self, page, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        slug = f"{len(self.seen) + 1:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}"
        self.seen.append(slug)
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            await page.set_viewport_size(size)
            await page.screenshot(path=str(ARTIFACTS / f"{slug}-{label}.png"), full_page=True)
        await page.set_viewport_size(PHONE)
        results = await self.axe.run(page)
        found = [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
                 for v in results.response["violations"] if v.get("impact") in SERIOUS]
        if found:
            self.problems[slug] = found


async def reload_until(page, text: str, what: str, timeout_s: float = 30) -> None:
    """Reload `page` until `text` shows (the platform's bus took it there), or fail naming `what`."""
    async def shown() -> bool:
        await page.reload()
        return await page.get_by_text(text).count() > 0
    await eventually(shown, timeout_s=timeout_s, interval_s=0.5, what=what)
