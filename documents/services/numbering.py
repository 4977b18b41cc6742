"""Register numbers  # cấp số: one counter row per organisation, direction, year and register.

NĐ 30/2020 Điều 15.1–15.2 and 22.2 (vn-standards.md §1.3): numbers run from 1 on 1 January
with no gap and no duplicate; classified (mật) documents have their own register and series.
The counter row is locked with SELECT … FOR UPDATE inside the caller's transaction
(peers.md §E.3), so a failed registration or issue rolls back and consumes nothing.
"""

from __future__ import annotations

from documents.models import Direction, Register


def take_number(organisation_id: int, direction: str, year: int, confidential: bool) -> tuple[Register, int]:
    """The register for (direction, year, confidential) and its next number; call inside transaction.atomic."""
    label = "đến" if direction == Direction.INCOMING else "đi"
    register, _ = Register.objects.get_or_create(
        organisation_id=organisation_id,
        direction=direction,
        year=year,
        confidential=confidential,
        defaults={"name": f"Sổ đăng ký văn bản {label}{' mật' if confidential else ''} năm {year}"},
    )
    locked = Register.objects.select_for_update().get(pk=register.pk)
    number = locked.next_number
    locked.next_number = number + 1
    locked.save(update_fields=["next_number"])
    return locked, number
