from gateway.jobs.announce_accounts import main as announce_accounts
from gateway.settings import GatewaySettings
from pfdo_kit.cli import Command, service_main

service_main("gateway", GatewaySettings, "gateway.app:create_app", commands={
    "announce-accounts": Command("publish every account once more (notifications learn existing people)",
                                 announce_accounts),
})
