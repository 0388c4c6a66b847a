import sys

from gateway.settings import GatewaySettings
from pfdo_kit.cli import service_main

if sys.argv[1:2] == ["announce-accounts"]:  # the gateway's own command, besides the kit's migrate|serve|dead-letters
    from gateway.jobs.announce_accounts import main

    raise SystemExit(main(sys.argv[2:]))
service_main("gateway", GatewaySettings, "gateway.app:create_app")
