"""Who the client is. Behind our own proxies (an ingress, a TLS terminator, the Navigator) every
connection comes from the proxy: the client's address is the one the proxy forwards in
X-Forwarded-For, and it is believed only from the addresses and networks named in
`<PREFIX>_TRUSTED_PROXIES`. Every process (each service, the gateway, the Navigator) does this the
same way, in its own app (so an in-process test sees what a deployed process does), with uvicorn's
own proxy handling off: its default would trust 127.0.0.1 whatever the setting says."""
from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import AfterValidator
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

__all__ = ["Networks", "ProxyHeadersMiddleware", "UVICORN_PROXY_OPTIONS", "check_networks", "in_networks"]


def check_networks(values: list[str]) -> list[str]:
    """Addresses or networks (CIDR) only: no '*' (anyone could name any address) and nothing that would
    silently match nothing."""
    for value in values:
        try:
            ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            raise ValueError(f"{value!r} is neither an IP address nor a network (CIDR)") from None
    return [v.strip() for v in values]


Networks = Annotated[list[str], AfterValidator(check_networks)]


def in_networks(address: str | None, networks: list[str]) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in networks)


# uvicorn.run(...) options every process uses: the app itself reads the forwarded address (above).
UVICORN_PROXY_OPTIONS = {"proxy_headers": False, "forwarded_allow_ips": ""}
