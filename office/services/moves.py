"""Work that changed hands  # công việc đã chuyển người (bàn giao), read back from history.

A handover (000 Điều 11.8, seed 000_9dcdc65ad8a32fbc.txt L166–L167) moves a phiếu trình seat or a
coordination request from the giver to the receiver by changing one person field; the row's
simple_history keeps each version with who changed it and why. Pages show those moves from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from office.models import Staff


@dataclass(frozen=True)
class Move:
    """One change of hands, as a page shows it: «Chuyển từ A sang B ngày …: lý do»."""

    at: dt.datetime
    from_name: str
    to_name: str
    reason: str


def moves_in_history(history: QuerySet, person_field: str) -> dict[int, list[Move]]:
    """Row id → the changes of `person_field` (a Staff foreign key, e.g. "holder_id"), oldest first,
    from a historical-records queryset. Two queries whatever the number of rows."""
    records = history.order_by("id", "history_date", "history_id").values_list(
        "id", person_field, "history_date", "history_change_reason"
    )
    changes: list[tuple[int, int, int, dt.datetime, str]] = []
    last: dict[int, int] = {}
    for row_id, person_id, at, reason in records:
        previous = last.get(row_id)
        if previous is not None and previous != person_id:
            changes.append((row_id, previous, person_id, at, reason or ""))
        last[row_id] = person_id
    if not changes:
        return {}
    ids = {c[1] for c in changes} | {c[2] for c in changes}
    names = dict(Staff.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    moves: dict[int, list[Move]] = {}
    for row_id, giver, receiver, at, reason in changes:
        moves.setdefault(row_id, []).append(Move(at, names.get(giver, "?"), names.get(receiver, "?"), reason))
    return moves
