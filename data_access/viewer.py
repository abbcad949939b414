"""Who is looking. Every query takes a Viewer; disclosure rules are applied by role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from data_access.errors import UnknownCode

Role = Literal["public", "city", "steering", "admin"]
ROLES: tuple[Role, ...] = ("public", "city", "steering", "admin")


@dataclass(frozen=True)
class Viewer:
    """A role and, for a city manager, the ISTAT code of the city. Hashable, so it can be part
    of a cache key."""

    role: Role = "public"
    city: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise UnknownCode.of("errors.unknown_role", role=self.role)
        if self.role == "city" and not self.city:
            raise UnknownCode.of("errors.city_role_needs_code")
        if self.role != "city" and self.city is not None:
            object.__setattr__(self, "city", None)

    @property
    def full_detail(self) -> bool:
        """Steering and admin see unrounded aggregates of every city."""
        return self.role in ("steering", "admin")

    @classmethod
    def parse(cls, spec: str) -> Viewer:
        """``public`` | ``steering`` | ``admin`` | ``city:<ISTAT code>``."""
        spec = spec.strip()
        if spec.startswith("city:"):
            return cls("city", spec.split(":", 1)[1].strip())
        return cls(spec)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return f"city:{self.city}" if self.role == "city" else self.role


PUBLIC = Viewer()
