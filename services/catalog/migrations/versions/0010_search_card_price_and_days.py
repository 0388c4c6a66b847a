"""search cards: the cheapest module's price and the groups' weekdays in the projection

A result card shows them without another call. Rows already there are filled once here; the flows keep
them current with the group figures from now on (the day boundary is the database's today here: the
sweeper recounts a program's groups once one has ended anyway).

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("program_search", sa.Column("price_from_kop", sa.BigInteger(), nullable=True))
    op.add_column("program_search", sa.Column("weekdays", postgresql.ARRAY(sa.Integer()), server_default="{}",
                                              nullable=False))
    op.execute("""
        UPDATE program_search AS s
           SET price_from_kop = (SELECT min(m.price_kop) FROM modules AS m WHERE m.program_id = s.program_id),
               weekdays = ARRAY(SELECT DISTINCT d FROM groups AS g, unnest(g.weekdays) AS d
                                 WHERE g.program_id = s.program_id AND g.ends_on >= current_date ORDER BY d)""")


def downgrade() -> None:
    op.drop_column("program_search", "weekdays")
    op.drop_column("program_search", "price_from_kop")
