"""For the migrations that take a one-district installation into a region: the one municipality
its data belongs to. `<PREFIX>LEGACY_MUNICIPALITY` when set (it must be a configured one); else
the single municipality the data itself names; else, with no such data, the first configured
(`<PREFIX>MUNICIPALITIES`). Several in the data and no choice: the migration stops and says what
to set."""
from __future__ import annotations

import json
import os


class LegacyMunicipalityUnknown(RuntimeError):
    pass


def _configured(prefix: str) -> list[str]:
    raw = os.environ.get(prefix + "MUNICIPALITIES", "").strip()
    if not raw:
        return []
    try:
        return [m["code"] for m in json.loads(raw)]
    except (ValueError, TypeError, KeyError) as error:
        raise LegacyMunicipalityUnknown(f"{prefix}MUNICIPALITIES is not a JSON list of {{code, name, oktmo}}: "
                                        f"{error}") from None


def legacy_municipality(prefix: str, found: list[str], what: str) -> str:
    """`prefix`: the service's environment prefix ("BILLING_"); `found`: the distinct municipalities
    the data names; `what`: the data, for the message ("the contracts")."""
    configured, legacy = _configured(prefix), prefix + "LEGACY_MUNICIPALITY"
    chosen = os.environ.get(legacy, "").strip()
    if chosen:
        if configured and chosen not in configured:
            raise LegacyMunicipalityUnknown(f"{legacy}={chosen!r} is not among {prefix}MUNICIPALITIES "
                                            f"({', '.join(configured)})")
        return chosen
    if len(found) == 1:
        return found[0]
    if found:
        raise LegacyMunicipalityUnknown(f"{what} name several municipalities ({', '.join(found)}): set {legacy} to "
                                        f"the one whose budget paid before regions, and migrate again")
    if configured:
        return configured[0]
    raise LegacyMunicipalityUnknown(f"neither {what} nor {prefix}MUNICIPALITIES name a municipality: set "
                                    f"{prefix}MUNICIPALITIES or {legacy}, and migrate again")
