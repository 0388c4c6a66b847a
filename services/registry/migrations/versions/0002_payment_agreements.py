"""payment agreements per provider × payer municipality × year

A provider's single payment agreement (`payment_agreement_number`/`_date`) becomes an agreement
with the provider's own municipality for the year of its date, without a limit, active. Each one
is recorded in the provider's history and announced (`registry.agreement.changed`, staged in the
outbox) so that the services keeping copies of agreements learn of it. The old columns go.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 09:00:00
"""
import json
import os
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

ACTOR = "system:migration-0002"


def _district(bind) -> str:
    """What the events' envelopes say: the installation's, as its settings or its last event name it."""
    if os.environ.get("REGISTRY_DISTRICT"):
        return os.environ["REGISTRY_DISTRICT"]
    last = bind.execute(sa.text("SELECT envelope->>'district' FROM outbox ORDER BY id DESC LIMIT 1")).scalar()
    return last or "legacy"


def upgrade() -> None:
    from pfdo_events import Envelope
    from pfdo_events.registry import AgreementChanged

    op.create_table(
        'payment_agreements',
        sa.Column('provider_id', sa.UUID(), nullable=False),
        sa.Column('municipality', sa.Text(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('number', sa.Text(), nullable=False),
        sa.Column('signed_on', sa.Date(), nullable=False),
        sa.Column('limit_kop', sa.BigInteger(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('limit_kop IS NULL OR limit_kop >= 0', name='payment_agreements_limit_not_negative'),
        sa.ForeignKeyConstraint(['provider_id'], ['providers.id'], ),
        sa.PrimaryKeyConstraint('provider_id', 'municipality', 'year'),
    )
    op.create_index('payment_agreements_payer', 'payment_agreements', ['municipality', 'year'], unique=False)

    bind = op.get_bind()
    # A number without a date never passed the API; should one exist, its provider's filing day dates it.
    moved = bind.execute(sa.text("""
        INSERT INTO payment_agreements (provider_id, municipality, year, number, signed_on, limit_kop, active)
        SELECT id, municipality, EXTRACT(YEAR FROM COALESCE(payment_agreement_date, created_at::date))::int,
               payment_agreement_number, COALESCE(payment_agreement_date, created_at::date), NULL, true
        FROM providers WHERE payment_agreement_number IS NOT NULL
        RETURNING provider_id, municipality, year, number, signed_on
    """)).all()
    district = _district(bind)
    for row in sorted(moved, key=lambda r: str(r.provider_id)):
        terms = {"number": row.number, "signed_on": row.signed_on.isoformat(), "limit_kop": None, "active": True}
        bind.execute(sa.text("""
            INSERT INTO provider_changes (provider_id, actor, action, from_status, to_status, changes)
            SELECT id, :actor, 'agreement', status, status, CAST(:changes AS jsonb) FROM providers WHERE id = :id
        """), {"id": row.provider_id, "actor": ACTOR, "changes": json.dumps({"agreement": {
            "municipality": row.municipality, "year": row.year, "before": None, "after": terms}}, ensure_ascii=False)})
        envelope = Envelope.wrap(AgreementChanged(
            provider_id=row.provider_id, municipality=row.municipality, year=row.year, number=row.number,
            signed_on=row.signed_on, limit_kop=None, active=True), district=district, correlation_id=uuid.uuid4())
        bind.execute(sa.text("""
            INSERT INTO outbox (event_id, routing_key, envelope) VALUES (:id, :key, CAST(:envelope AS jsonb))
        """), {"id": envelope.id, "key": envelope.routing_key,
               "envelope": json.dumps(envelope.model_dump(mode="json"), ensure_ascii=False)})

    op.drop_column('providers', 'payment_agreement_number')
    op.drop_column('providers', 'payment_agreement_date')


def downgrade() -> None:
    op.add_column('providers', sa.Column('payment_agreement_number', sa.Text(), nullable=True))
    op.add_column('providers', sa.Column('payment_agreement_date', sa.Date(), nullable=True))
    # Back to one agreement per provider: the newest active one (its own municipality's first).
    op.execute("""
        UPDATE providers p SET payment_agreement_number = a.number, payment_agreement_date = a.signed_on
        FROM (SELECT DISTINCT ON (a.provider_id) a.provider_id, a.number, a.signed_on
              FROM payment_agreements a JOIN providers pr ON pr.id = a.provider_id
              WHERE a.active
              ORDER BY a.provider_id, (a.municipality = pr.municipality) DESC, a.year DESC, a.signed_on DESC) a
        WHERE a.provider_id = p.id
    """)
    op.drop_index('payment_agreements_payer', table_name='payment_agreements')
    op.drop_table('payment_agreements')
