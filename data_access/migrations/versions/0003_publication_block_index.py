"""publication_block: one input hash per block and publication, found by (publication, block)

Reusing the unchanged blocks of the previous publication joins the two publications' blocks on
``block``; with only an index on ``publication_id`` SQLite compared every block with every other
(1,622 x 1,622 at 10x the demo: ~50 s for a publication that solved nothing). The composite
unique index makes it a lookup, and says what was only assumed: a block is fingerprinted once
per publication.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 05:10:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publication_block", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_block_publication_id"))
        batch_op.create_index(
            "ux_publication_block_pub_block", ["publication_id", "block"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("publication_block", schema=None) as batch_op:
        batch_op.drop_index("ux_publication_block_pub_block")
        batch_op.create_index(
            batch_op.f("ix_publication_block_publication_id"), ["publication_id"], unique=False
        )
