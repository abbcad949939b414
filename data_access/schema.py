"""SQLAlchemy 2 table definitions. Identical on SQLite and PostgreSQL: periods are ``YYYY-MM``
text, geometries are GeoJSON text in EPSG:4326, codes are text (ISTAT codes keep leading zeros).

Schema changes go through Alembic (``data_access/migrations``); ``create_all`` is never used
outside tests of the migrations themselves.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class DatasetMeta(Base):
    """Key/value facts about the stored dataset (``is_demo``, ``demo_seed``, ``cutoff``...)."""

    __tablename__ = "dataset_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class City(Base):
    __tablename__ = "city"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    region: Mapped[str] = mapped_column(String(80))
    macro_area: Mapped[str] = mapped_column(String(20))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    population: Mapped[int] = mapped_column(Integer)
    population_ref: Mapped[str] = mapped_column(String(20))
    population_quality: Mapped[str] = mapped_column(String(60))
    foreign_residents: Mapped[int] = mapped_column(Integer)
    foreign_ref: Mapped[str] = mapped_column(String(20))
    foreign_quality: Mapped[str] = mapped_column(String(60))


class WorkPackageRow(Base):
    __tablename__ = "work_package"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_it: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_it: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text)


class ActionRow(Base):
    __tablename__ = "action"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    wp: Mapped[str] = mapped_column(ForeignKey("work_package.code"))
    name_it: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))


class IndicatorRow(Base):
    __tablename__ = "indicator"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    action: Mapped[str] = mapped_column(ForeignKey("action.code"))
    name_it: Mapped[str] = mapped_column(String(160))
    name_en: Mapped[str] = mapped_column(String(160))
    unit: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(8))
    direction: Mapped[str] = mapped_column(String(4))
    amif_code: Mapped[str | None] = mapped_column(String(60))
    counts_people: Mapped[bool] = mapped_column(Boolean)
    by_periphery: Mapped[bool] = mapped_column(Boolean)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    definition_it: Mapped[str] = mapped_column(Text)
    definition_en: Mapped[str] = mapped_column(Text)
    numerator: Mapped[str | None] = mapped_column(String(40))
    denominator: Mapped[str | None] = mapped_column(String(40))
    scale: Mapped[float] = mapped_column(Float, default=1.0)
    min_value: Mapped[float] = mapped_column(Float, default=0.0)
    max_value: Mapped[float | None] = mapped_column(Float)


class Periphery(Base):
    __tablename__ = "periphery"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("city.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    geometry: Mapped[str] = mapped_column(Text)  # GeoJSON Polygon, EPSG:4326
    geometry_quality: Mapped[str] = mapped_column(String(12))  # indicative | official
    centre_lat: Mapped[float] = mapped_column(Float)
    centre_lon: Mapped[float] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    risk_index: Mapped[float | None] = mapped_column(Float)
    __table_args__ = (UniqueConstraint("city_code", "name"),)


class Hub(Base):
    """Aggregation hubs and one-stop shops (type ``sportello_unico``): public places."""

    __tablename__ = "hub"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("city.code"), index=True)
    periphery_id: Mapped[int | None] = mapped_column(ForeignKey("periphery.id"))
    name: Mapped[str] = mapped_column(String(160))
    type: Mapped[str] = mapped_column(String(30))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    opened: Mapped[str | None] = mapped_column(String(7))


class ProtectedSite(Base):
    """Shelters and co-housing. Their coordinates never leave the server: queries expose only
    counts of places per periphery (see ``data_access.queries``)."""

    __tablename__ = "protected_site"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("city.code"), index=True)
    periphery_id: Mapped[int | None] = mapped_column(ForeignKey("periphery.id"))
    kind: Mapped[str] = mapped_column(String(12))  # shelter | cohousing
    places: Mapped[int] = mapped_column(Integer)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class Submission(Base):
    __tablename__ = "submission"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("city.code"))
    period: Mapped[str] = mapped_column(String(7))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    uploader: Mapped[str] = mapped_column(String(255))
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(12))  # received|rejected|validated|approved|locked
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes: Mapped[int | None] = mapped_column(ForeignKey("submission.id"))
    error_report: Mapped[str | None] = mapped_column(Text)  # JSON
    content: Mapped[bytes | None] = mapped_column(nullable=True)  # the file as received
    __table_args__ = (
        Index("ix_submission_city_period", "city_code", "period"),
        UniqueConstraint("city_code", "period", "version", name="uq_submission_version"),
    )


class Observation(Base):
    """The current value of one indicator for one city (or one of its peripheries) and month."""

    __tablename__ = "observation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("city.code"))
    periphery_id: Mapped[int | None] = mapped_column(ForeignKey("periphery.id"))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    period: Mapped[str] = mapped_column(String(7))
    value: Mapped[float] = mapped_column(Float)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"))
    __table_args__ = (
        Index("ix_observation_indicator_period", "indicator_code", "period"),
        Index("ix_observation_city_period", "city_code", "period"),
        # One value per cell: city-level rows and periphery rows are unique separately (NULLs
        # are distinct in a plain unique index on both engines).
        Index(
            "uq_observation_city_cell",
            "city_code",
            "indicator_code",
            "period",
            unique=True,
            sqlite_where=text("periphery_id IS NULL"),
            postgresql_where=text("periphery_id IS NULL"),
        ),
        Index(
            "uq_observation_periphery_cell",
            "city_code",
            "indicator_code",
            "period",
            "periphery_id",
            unique=True,
            sqlite_where=text("periphery_id IS NOT NULL"),
            postgresql_where=text("periphery_id IS NOT NULL"),
        ),
    )


class Target(Base):
    __tablename__ = "target"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("city.code"))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    end_value: Mapped[float] = mapped_column(Float)
    milestones: Mapped[str | None] = mapped_column(
        Text
    )  # JSON [{"period": "2023-06", "value": 120}]
    __table_args__ = (UniqueConstraint("city_code", "indicator_code"),)


class Budget(Base):
    __tablename__ = "budget"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("city.code"))
    wp: Mapped[str] = mapped_column(ForeignKey("work_package.code"))
    amount_eur: Mapped[float] = mapped_column(Float)
    __table_args__ = (UniqueConstraint("city_code", "wp"),)


class Expenditure(Base):
    __tablename__ = "expenditure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    city_code: Mapped[str] = mapped_column(ForeignKey("city.code"))
    wp: Mapped[str] = mapped_column(ForeignKey("work_package.code"))
    period: Mapped[str] = mapped_column(String(7))
    amount_eur: Mapped[float] = mapped_column(Float)
    __table_args__ = (UniqueConstraint("city_code", "wp", "period"),)


class AuditLog(Base):
    """Append-only: rows are inserted, never updated or deleted (enforced in data_access)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(30))
    city_code: Mapped[str | None] = mapped_column(String(6))
    period: Mapped[str | None] = mapped_column(String(7))
    sha256: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)


class Publication(Base):
    """One release of the disclosed tables (issue 13): built once, read by every protected
    viewer. Rows are written in the same transaction as this header, so a publication is either
    complete or absent; ``status`` is always ``complete`` for a stored one (failures go to the
    audit log)."""

    __tablename__ = "publication"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    trigger: Mapped[str] = mapped_column(String(30))  # demo | import | approval | unlock | manual
    actor: Mapped[str] = mapped_column(String(255))
    data_version: Mapped[str] = mapped_column(String(64))
    months: Mapped[str] = mapped_column(String(12))  # approved | validated
    latest_period: Mapped[str | None] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(12))
    detail: Mapped[str | None] = mapped_column(Text)  # JSON: counts, blocks solved/reused


class PublicationBlock(Base):
    """The input fingerprint of one independently solved block (an indicator with the ratios
    built on it): a later publication reuses a block whose input did not change."""

    __tablename__ = "publication_block"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"))
    block: Mapped[str] = mapped_column(String(200))
    input_hash: Mapped[str] = mapped_column(String(64))
    # Reuse joins two publications' blocks on ``block``: a lookup, not a scan (migration 0003).
    __table_args__ = (
        Index("ux_publication_block_pub_block", "publication_id", "block", unique=True),
    )


class PublicationRow(Base):
    """One released number: a cell (``part`` = ``cells``) or a total (``city_totals``,
    ``national_by_period``, ``national_totals``, ``periphery_totals``), as the public may see
    it. Exact values of protected cells are never stored here."""

    __tablename__ = "publication_row"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id"))
    part: Mapped[str] = mapped_column(String(20))
    block: Mapped[str] = mapped_column(String(200))
    city_code: Mapped[str | None] = mapped_column(String(6))
    periphery_id: Mapped[int | None] = mapped_column(Integer)
    indicator_code: Mapped[str] = mapped_column(String(40))
    period: Mapped[str | None] = mapped_column(String(7))
    value: Mapped[float | None] = mapped_column(Float)
    flag: Mapped[str] = mapped_column(String(12))
    suppressed_below: Mapped[float | None] = mapped_column(Float)
    __table_args__ = (Index("ix_publication_row_pub_block", "publication_id", "block"),)
