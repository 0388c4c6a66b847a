"""The service's own request dependency: its settings (the common ones are in pfdo_kit.dependencies)."""
from typing import Annotated

from fastapi import Depends

from pfdo_kit.dependencies import settings_of
from services.certificates.settings import CertificatesSettings

Settings = Annotated[CertificatesSettings, Depends(settings_of)]
