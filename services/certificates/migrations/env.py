from pfdo_kit.migrations import run_env
from services.certificates.models import metadata

run_env(metadata)
