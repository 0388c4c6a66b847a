"""search's projection: one row per listed program, the known words (pg_trgm) and the titles
suggested; the programs' generated tsvector goes (search no longer reads it). The rows are
written by the service: the sweeper projects listed programs that have none within a minute
of the first start after this migration.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # trusted: the database's owner may create it
    op.drop_index("programs_search", table_name="programs")
    op.drop_column("programs", "search")
    op.create_table(
        "program_search",
        sa.Column("program_id", sa.UUID(), sa.ForeignKey("programs.id"), primary_key=True),
        sa.Column("provider_id", sa.UUID(), nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=False),
        sa.Column("max_age", sa.Integer(), nullable=False),
        sa.Column("ovz_adapted", sa.Boolean(), nullable=False),
        sa.Column("certified_until", sa.Date(), nullable=True),
        sa.Column("rating", sa.Double(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("groups", sa.Integer(), nullable=False),
        sa.Column("free_seats", sa.Integer(), nullable=False),
        sa.Column("nearest_start", sa.Date(), nullable=True),
        sa.Column("fresh_until", sa.Date(), nullable=True),
        sa.Column("analyzer", sa.Integer(), nullable=False),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("municipality", sa.Text(), nullable=False),
        sa.Column("provider_name", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        postgresql_with={"fillfactor": "70"},  # room for seat updates to stay HOT
    )
    op.create_index("program_search_listing", "program_search", ["municipality", "direction"])
    op.create_index("ix_program_search_provider_id", "program_search", ["provider_id"])
    op.create_index("ix_program_search_fresh_until", "program_search", ["fresh_until"])
    op.create_table(
        "program_search_text",
        sa.Column("program_id", sa.UUID(), sa.ForeignKey("program_search.program_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("document", postgresql.TSVECTOR(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
    )
    # No pending list (fastupdate) for searches to scan: the rows are written rarely.
    op.create_index("program_search_text_document", "program_search_text", ["document"], postgresql_using="gin",
                    postgresql_with={"fastupdate": "off"})
    op.create_table("search_terms", sa.Column("term", sa.Text(collation="C"), primary_key=True))
    op.create_index("search_terms_trigrams", "search_terms", ["term"], postgresql_using="gist",
                    postgresql_ops={"term": "gist_trgm_ops"})
    op.create_table(
        "search_phrases",
        sa.Column("phrase", sa.Text(), primary_key=True),
        sa.Column("words", postgresql.TSVECTOR(), nullable=False),
        sa.Column("programs", sa.Integer(), nullable=False),
    )
    op.create_index("search_phrases_words", "search_phrases", ["words"], postgresql_using="gin",
                    postgresql_with={"fastupdate": "off"})
    op.create_index("search_phrases_trigrams", "search_phrases", ["phrase"], postgresql_using="gist",
                    postgresql_ops={"phrase": "gist_trgm_ops"})


def downgrade() -> None:
    op.drop_table("search_phrases")
    op.drop_table("search_terms")
    op.drop_table("program_search_text")
    op.drop_table("program_search")
    op.add_column("programs", sa.Column("search", postgresql.TSVECTOR(), sa.Computed(
        "setweight(to_tsvector('russian', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('russian', coalesce(description, '')), 'B')", persisted=True)))
    op.create_index("programs_search", "programs", ["search"], postgresql_using="gin")
