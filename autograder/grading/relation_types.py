"""The two plain types the relations are made of: a :class:`Relation` (what is said) and a
:class:`Quantity` (a number of the case that a factor can be named by)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Relation", "Quantity"]


@dataclass(frozen=True)
class Relation:
    """A named relation between a wrong value and the right one."""

    label: str
    rank: int
    message: str


@dataclass(frozen=True)
class Quantity:
    """A number a case is made of: ``name`` as the student reads it (``X.shape[1]``), a gloss
    (``"m, the number of examples"``) and its value on this case."""

    name: str
    gloss: str
    value: float
