from pfdo_kit.cli import service_main
from services.certificates.settings import CertificatesSettings

service_main("services.certificates", CertificatesSettings, "services.certificates.app:create_app")
