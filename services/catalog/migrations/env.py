from pfdo_kit.migrations import run_env
from services.catalog.models import metadata

run_env(metadata)
