"""Every process's own OpenAPI document, built in-process (no database, no broker)."""
from __future__ import annotations

from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.municipalities import TEST_MUNICIPALITIES

COMMON = {"database_url": "postgresql://x/y", "amqp_url": "amqp://x", "district": "d",
          "municipalities": TEST_MUNICIPALITIES}


def _key() -> str:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


@cache
def service_document(name: str) -> dict:
    if name == "registry":
        from services.registry.app import create_app
        from services.registry.settings import RegistrySettings as S
    elif name == "certificates":
        from services.certificates.app import create_app
        from services.certificates.settings import CertificatesSettings as S
    elif name == "catalog":
        from services.catalog.app import create_app
        from services.catalog.settings import CatalogSettings as S
    elif name == "billing":
        from services.billing.app import create_app
        from services.billing.settings import BillingSettings as S
    elif name == "notifications":
        from services.notifications.app import create_app
        from services.notifications.settings import NotificationsSettings as S
    elif name == "gateway":
        from gateway.app import create_app
        from gateway.settings import GatewaySettings as S
        return create_app(S(**COMMON, signing_key_pem=_key())).state.own_openapi()
    else:
        raise KeyError(name)
    return create_app(S(**COMMON)).openapi()


PROCESSES = ("registry", "certificates", "catalog", "billing", "notifications", "gateway")
