"""After accounts register and log in (with wrong and right passwords), children are added with
their СНИЛС, and requests that carried a СНИЛС or a password are refused, the platform's logs
(every process's output, captured to files) hold no СНИЛС and no password."""
from __future__ import annotations

import re

import httpx
import pytest

from deploy.api_client import Api
from services.certificates.domain.snils import normalise, snils_ok
from tests.support.people import PASSWORD, TODAY, register, staff_account

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]
PLATFORM_LOG_LEVEL = "DEBUG"  # the most a district could turn on

SNILS = ["156-374-295 88", "24138596780", "318 264 705 74"]
BAD_CHECKSUM = "156-374-295 00"
PASSWORDS = [PASSWORD, "Wrong-pass-2026", "Sekret-Mamy-2026", "15637429588", "short1"]
# 11 digits, grouped or not, standing alone (not inside a hex id); a СНИЛС if its checksum holds.
SNILS_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{3}[- ]?\d{3}[- ]?\d{3}[- ]?\d{2}(?![0-9A-Za-z])")


def _child(snils: str, name: str = "Аслан Тестов", **extra) -> dict:
    return {"full_name": name, "birth_date": f"{TODAY.year - 9}-03-01", "snils": snils, "municipality": "chegem",
            **extra}


async def _scenario(platform) -> None:
    public = Api(platform.gateway_url)
    parent = await register(public, "logs-parent@pfdo-faults.ru")
    admin = await public.login(platform.admin_email, platform.admin_password)
    operator = await staff_account(admin, public, "logs-op@pfdo-faults.ru", "operator", "chegem")
    async with httpx.AsyncClient(base_url=platform.gateway_url + "/api/v1", timeout=30) as http:
        auth = {"Authorization": f"Bearer {parent.token}"}
        sent = [
            # logins: wrong passwords, an unknown account, the right one
            ("POST", "/auth/token", {"email": "logs-parent@pfdo-faults.ru", "password": PASSWORDS[1]}, {}),
            ("POST", "/auth/token", {"email": "nobody@pfdo-faults.ru", "password": PASSWORDS[2]}, {}),
            ("POST", "/auth/token", {"email": "logs-parent@pfdo-faults.ru", "password": PASSWORD}, {}),
            ("POST", "/auth/token", {"grant_type": "magic", "email": "x@y.ru", "password": PASSWORDS[2]}, {}),
            # registrations refused for their passwords or other fields
            ("POST", "/auth/register", {"email": "weak@pfdo-faults.ru", "phone": "+7 928 555-00-01",
                                        "password": PASSWORDS[3], "municipality": "chegem"}, {}),
            ("POST", "/auth/register", {"email": "weak2@pfdo-faults.ru", "phone": "+7 928 555-00-02",
                                        "password": PASSWORDS[4], "municipality": "chegem"}, {}),
            ("POST", "/auth/register", {"email": PASSWORDS[2], "phone": SNILS[0], "password": PASSWORDS[2],
                                        "municipality": "chegem"}, {}),
            # children: added, added twice, refused for their СНИЛС or other fields
            ("POST", "/children", _child(SNILS[0]), auth),
            ("POST", "/children", _child(SNILS[0]), auth),
            ("POST", "/children", _child(SNILS[1], "Мадина Тестова"), auth),
            ("POST", "/children", _child(BAD_CHECKSUM, "Другой Ребёнок"), auth),
            ("POST", "/children", _child(SNILS[2], "Имя\x00С NUL"), auth),
            ("POST", "/children", _child(SNILS[2], "Лишнее Поле", password=PASSWORDS[2]), auth),
            ("POST", "/children", _child(SNILS[2], birth_date="не дата"), auth),
            ("POST", "/children", _child(SNILS[2], birth_date="1990-01-01"), auth),
            ("GET", f"/certificates/by-number/{normalise(SNILS[1])}", None, auth),
            ("GET", "/programs", None, {}),
        ]
        for method, path, body, headers in sent:
            await http.request(method, path, json=body, headers=headers, params={"q": SNILS[2]})
        await http.post("/children", content=b'{"snils": "' + SNILS[1].encode() + b'", broken', headers=auth)
        await http.post("/auth/token", content=b'{"password": "' + PASSWORDS[2].encode() + b'"', headers={})
        await http.post("/auth/token", content=b"\xff" + PASSWORDS[2].encode(), headers={})
    await operator.call("GET", "/children")  # the operator reads the СНИЛС in full


async def test_logs_hold_no_snils_and_no_password(platform):
    await _scenario(platform)
    platform.stop("gateway")  # and the services' last words: stopped processes have written everything
    for name in ("registry", "certificates", "catalog", "billing", "notifications"):
        platform.stop(name)
    logs = {name: platform.platform.log_path(name).read_text(encoding="utf-8", errors="replace")
            for name in ("gateway", "registry", "certificates", "catalog", "billing", "notifications")}
    assert all("service started" in text for text in logs.values()), "the processes' output was not captured"
    found = []
    for name, text in logs.items():
        for line in text.splitlines():
            snils = [m for m in SNILS_LIKE.findall(line) if snils_ok(m)]
            values = [s for s in SNILS + [normalise(s) for s in SNILS] + PASSWORDS + [platform.admin_password]
                      if s in line]
            if snils or values:
                found.append(f"{name}: {sorted(set(snils + values))} in {line[:300]}")
    assert not found, "personal data in the logs:\n" + "\n".join(found)
