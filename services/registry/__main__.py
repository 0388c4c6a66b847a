from pfdo_kit.cli import Command, service_main
from services.registry.jobs.announce_agreements import main as announce_agreements
from services.registry.jobs.announce_providers import main as announce_providers
from services.registry.settings import RegistrySettings

service_main("services.registry", RegistrySettings, "services.registry.app:create_app", commands={
    "announce-agreements": Command("publish every payment agreement once more (copies in catalog, certificates)",
                                   announce_agreements),
    "announce-providers": Command("publish every provider's snapshot once more (copies in catalog, billing)",
                                  announce_providers),
})
