"""What the gateway does with the services' events: a provider approved binds the staff account
that applied to it (and the account's news goes out with the binding)."""
from __future__ import annotations

from gateway.flows.accounts import bind_provider_staff
from pfdo_events.registry import ProviderApproved
from pfdo_kit.bus.consumer import ConsumerSpec, HandlerContext


async def on_provider_approved(ctx: HandlerContext, e: ProviderApproved) -> None:
    p = e.provider
    await bind_provider_staff(ctx.session, ctx.outbox, p.submitted_by, p.provider_id, p.municipality)


CONSUMERS = [ConsumerSpec("gateway", "accounts", {ProviderApproved: on_provider_approved})]
