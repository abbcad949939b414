"""publications: released disclosed tables (issue 13)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 02:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("trigger", sa.String(length=30), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("data_version", sa.String(length=64), nullable=False),
        sa.Column("months", sa.String(length=12), nullable=False),
        sa.Column("latest_period", sa.String(length=7), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "publication_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("block", sa.String(length=200), nullable=False),
        sa.Column("input_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["publication_id"], ["publication.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("publication_block", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publication_block_publication_id"), ["publication_id"], unique=False
        )
    op.create_table(
        "publication_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=20), nullable=False),
        sa.Column("block", sa.String(length=200), nullable=False),
        sa.Column("city_code", sa.String(length=6), nullable=True),
        sa.Column("periphery_id", sa.Integer(), nullable=True),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("flag", sa.String(length=12), nullable=False),
        sa.Column("suppressed_below", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["publication_id"], ["publication.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("publication_row", schema=None) as batch_op:
        batch_op.create_index(
            "ix_publication_row_pub_block", ["publication_id", "block"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("publication_row", schema=None) as batch_op:
        batch_op.drop_index("ix_publication_row_pub_block")
    op.drop_table("publication_row")
    with op.batch_alter_table("publication_block", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_block_publication_id"))
    op.drop_table("publication_block")
    op.drop_table("publication")
