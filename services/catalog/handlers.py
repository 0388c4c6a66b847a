"""What the catalog does with other services' events."""
from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from pfdo_events.registry import (
    ProviderApproved,
    ProviderExcluded,
    ProviderRejected,
    ProviderReinstated,
    ProviderSubmitted,
    ProviderSuspended,
    ProviderUpdated,
)
from pfdo_kit.bus.consumer import ConsumerSpec, HandlerContext
from services.catalog.models import Provider


async def on_provider_event(ctx: HandlerContext, e) -> None:
    """Keep the newest state: a suspended or excluded provider's programs leave search at once
    (search joins on the provider's status). Older events arriving late change nothing."""
    p, at = e.provider, ctx.envelope.occurred_at
    values = dict(status=p.status, short_name=p.short_name, municipality=p.municipality,
                  has_payment_agreement=p.payment_agreement_number is not None, event_at=at)
    await ctx.session.execute(
        insert(Provider).values(id=p.provider_id, **values)
        .on_conflict_do_update(index_elements=[Provider.id], set_=values, where=Provider.event_at <= at)
    )


PROVIDER_EVENTS = (ProviderSubmitted, ProviderApproved, ProviderRejected, ProviderSuspended, ProviderReinstated,
                   ProviderExcluded, ProviderUpdated)

CONSUMERS = [ConsumerSpec("catalog", "providers", {event: on_provider_event for event in PROVIDER_EVENTS})]
