"""Travel papers and introduction letters  # giấy đi đường, giấy giới thiệu (000 Điều 40).

- 000 Điều 40.2.a (seed 000_9dcdc65ad8a32fbc.txt L413): an in-province giấy đi đường is valid
  for the month (rules.travel_paper.in_province_valid = calendar_month).
- 000 Điều 40.2.b (L414): an out-of-province paper is valid for that trip only.
- 000 Điều 40.2.c (L416): «Không cấp giấy đi đường mới khi giấy đi đường cũ chưa hết hạn sử dụng».
- 000 Điều 40.2.d (L418): issuing needs the unit head's confirmation or the assigning leader's
  consent (an approved trip) and the handover document (the handover sheet, or for a short trip the
  list of unfinished work with a named substitute).
- 000 Điều 40.3 (L421): office leaders sign both papers and, «thừa lệnh Chủ tịch», the UBND's
  introduction letter; 002 Điều 7.4: in the Party office the Trưởng Phòng Hành chính - Tiếp dân
  signs travel papers. Who signs is rules.travel_paper.signer_positions.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from office.models import Organisation, Staff
from office.services import delegation
from personnel.models import HandoverState, PaperKind, PaperScope, TravelPaper, Trip, TripState
from personnel.services import common
from personnel.services.trips import handover_sheet_from_days

SRC_40 = "Quy chế 282/QĐ-VP, Điều 40"


def signer_positions(organisation: Organisation) -> list[str]:
    return list(organisation.rule("travel_paper.signer_positions", ["chanh_vp", "pho_chanh_vp"]) or [])


def _holds_signing_post(staff: Staff) -> bool:
    """A post in rules.travel_paper.signer_positions, in one of rules.travel_paper.signer_units when the
    profile names units (002 Điều 7.4: the head of Phòng Hành chính - Tiếp dân, not every head)."""
    positions = set(signer_positions(staff.organisation))
    units = set(staff.organisation.rule("travel_paper.signer_units", []) or [])
    return any(
        p.position in positions and (not units or (p.unit_id and p.unit.code in units)) for p in staff.posts.all()
    )


def can_sign(me: Staff, today: dt.date | None = None) -> bool:
    """Holds a signing post, or acts today for someone who does."""
    if _holds_signing_post(me):
        return True
    today = today or timezone.localdate()
    return any(_holds_signing_post(p) for p in delegation.principals_of(me, today))


def validity(organisation: Organisation, trip: Trip) -> tuple[str, dt.date, dt.date]:
    """(scope, valid_from, valid_until) for a trip's giấy đi đường (000 Điều 40.2.a–b)."""
    if trip.in_province and organisation.rule("travel_paper.in_province_valid", "calendar_month") == "calendar_month":
        first = trip.start.replace(day=1)
        last = trip.start.replace(day=pycal.monthrange(trip.start.year, trip.start.month)[1])
        # A trip running into the next month keeps its paper to the last day of the trip (inferred).
        return PaperScope.IN_PROVINCE, first, max(last, trip.end)
    return (PaperScope.IN_PROVINCE if trip.in_province else PaperScope.OUT_PROVINCE), trip.start, trip.end


def _next_number(organisation: Organisation, kind: str, year: int) -> int:
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    last = TravelPaper.objects.filter(organisation=organisation, kind=kind, year=year).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


def valid_paper(staff: Staff, day: dt.date) -> TravelPaper | None:
    """A giấy đi đường of this person not yet expired on `day` (000 Điều 40.2.c)."""
    return (
        TravelPaper.objects.filter(staff=staff, kind=PaperKind.TRAVEL, is_revoked=False, valid_until__gte=day)
        .order_by("valid_until")
        .first()
    )


@transaction.atomic
def issue_travel_paper(
    trip: Trip, *, me: Staff, by: AbstractBaseUser | None = None, today: dt.date | None = None
) -> TravelPaper:
    today = today or timezone.localdate()
    trip = Trip.objects.select_related("staff__organisation", "handover").get(pk=trip.pk)
    org = trip.organisation
    if not can_sign(me, today):
        raise PermissionDenied("Bạn không có thẩm quyền ký giấy đi đường (" + SRC_40 + " khoản 3).")
    if trip.state not in (TripState.APPROVED,):
        raise ValidationError(
            {
                "trip": [
                    "Chỉ cấp giấy đi đường cho chuyến công tác đã được Lãnh đạo Văn phòng đồng ý "
                    f"({SRC_40} khoản 2 điểm d)."
                ]
            }
        )
    if trip.days >= handover_sheet_from_days(trip.staff):
        if trip.handover is None or trip.handover.state != HandoverState.CONFIRMED:
            raise ValidationError(
                {
                    "trip": [
                        "Chưa có phiếu bàn giao công việc được người nhận xác nhận; cấp giấy đi đường phải có văn bản "
                        f"bàn giao công việc ({SRC_40} khoản 2 điểm d)."
                    ]
                }
            )
    elif trip.substitute_id is None and not common.is_office_leader(trip.staff):
        raise ValidationError({"trip": ["Chưa có người làm thay cho chuyến công tác ngắn ngày (Điều 39)."]})
    common.lock_staff(trip.staff)
    old = valid_paper(trip.staff, today)
    if old:
        raise ValidationError(
            {
                "trip": [
                    f"{trip.staff.full_name} còn giấy đi đường số {old.number}/{old.year} có giá trị đến hết ngày "
                    f"{common.fmt(old.valid_until)}; không cấp giấy đi đường mới khi giấy cũ chưa hết hạn "
                    f"({SRC_40} khoản 2 điểm c)."
                ]
            }
        )
    scope, valid_from, valid_until = validity(org, trip)
    return TravelPaper.objects.create(
        organisation=org,
        kind=PaperKind.TRAVEL,
        number=_next_number(org, PaperKind.TRAVEL, today.year),
        year=today.year,
        staff=trip.staff,
        trip=trip,
        scope=scope,
        destination=trip.destination,
        purpose=trip.purpose,
        valid_from=valid_from,
        valid_until=valid_until,
        signer=me,
        issued_by=by,
    )


@transaction.atomic
def issue_introduction(
    *,
    staff: Staff,
    destination: str,
    purpose: str,
    valid_until: dt.date,
    me: Staff,
    on_behalf: str = "",
    trip: Trip | None = None,
    by: AbstractBaseUser | None = None,
    today: dt.date | None = None,
) -> TravelPaper:
    """000 Điều 40.1 (L411): a letter for a person going to deal with another organisation."""
    today = today or timezone.localdate()
    if not can_sign(me, today):
        raise PermissionDenied("Bạn không có thẩm quyền ký giấy giới thiệu (" + SRC_40 + " khoản 3).")
    errors: dict[str, list[str]] = {}
    if staff.organisation_id != me.organisation_id:
        errors["staff"] = ["Cán bộ không thuộc cơ quan."]
    if not (destination or "").strip():
        errors["destination"] = ["Phải ghi nơi được giới thiệu đến."]
    if not (purpose or "").strip():
        errors["purpose"] = ["Phải ghi nội dung liên hệ công tác."]
    if valid_until < today:
        errors["valid_until"] = ["Thời hạn giá trị của giấy giới thiệu không được trước hôm nay."]
    if on_behalf not in ("", "ubnd"):
        errors["on_behalf"] = ["Chỉ ký giấy giới thiệu của Văn phòng hoặc thừa lệnh Chủ tịch UBND tỉnh."]
    if errors:
        raise ValidationError(errors)
    org = staff.organisation
    return TravelPaper.objects.create(
        organisation=org,
        kind=PaperKind.INTRODUCTION,
        number=_next_number(org, PaperKind.INTRODUCTION, today.year),
        year=today.year,
        staff=staff,
        trip=trip,
        scope=PaperScope.IN_PROVINCE if trip is None or trip.in_province else PaperScope.OUT_PROVINCE,
        destination=destination.strip(),
        purpose=purpose.strip(),
        valid_from=today,
        valid_until=valid_until,
        on_behalf=on_behalf,
        signer=me,
        issued_by=by,
    )


@transaction.atomic
def revoke(paper: TravelPaper, *, me: Staff) -> TravelPaper:
    """Withdraw a paper (lost, trip cancelled), so that a new one may be issued."""
    if not can_sign(me):
        raise PermissionDenied("Bạn không có thẩm quyền thu hồi giấy này.")
    paper.is_revoked = True
    paper.save(update_fields=["is_revoked"])
    return paper
