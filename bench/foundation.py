"""Foundation data and scenarios: the hatinh-ubnd office, 200 more staff with posts, a year
of absences and acting-for delegations; home, organisation, absences, calendar and the
staff API, with a raw-SQL twin of the staff list for the framework-cost ratio."""

from __future__ import annotations

import datetime as dt
import json

from bench.registry import Context, Scenario, register_generator, register_raw, register_scenario

BENCH_PASSWORD = "bench-matkhau-2026"  # noqa: S105 - a throwaway database


@register_generator(order=0)
def organisation(ctx: Context) -> None:
    from office.services.profiles import load_profile

    ctx.organisation = load_profile("hatinh-ubnd", demo_users=True, password=BENCH_PASSWORD).organisation


@register_generator(order=10)
def staff_absences_delegations(ctx: Context) -> None:
    """200 staff (at scale 1) with a post each, three absences a year each (two of three with a
    deputy), and one in twenty away today and tomorrow with a deputy, so today's pages show them.
    Can run again to add more (usernames continue where the last run stopped)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from office.models import Absence, AbsenceKind, Delegation, DelegationScope, Position, Post, Staff, Unit
    from office.services.profiles import demo_full_name

    org, rng = ctx.organisation, ctx.rng
    units = list(Unit.objects.filter(organisation=org).order_by("order", "pk"))
    n = ctx.n(200)
    hashed = make_password(BENCH_PASSWORD)
    user_model = get_user_model()
    first = user_model.objects.filter(username__startswith="bench.cb").count()
    users = user_model.objects.bulk_create(
        [user_model(username=f"bench.cb{i:05d}", password=hashed) for i in range(first, first + n)], batch_size=1000
    )
    staff = Staff.objects.bulk_create(
        [Staff(user=u, organisation=org, full_name=demo_full_name(1000 + i)) for i, u in enumerate(users)],
        batch_size=1000,
    )
    Post.objects.bulk_create(
        [
            Post(staff=s, position=Position.CHUYEN_VIEN if i % 5 else Position.NHAN_VIEN, unit=units[i % len(units)])
            for i, s in enumerate(staff)
        ],
        batch_size=1000,
    )
    by_unit: dict[int, list] = {}
    for i, s in enumerate(staff):
        by_unit.setdefault(units[i % len(units)].pk, []).append(s)
    today = timezone.localdate()
    kinds = [k for k, _ in AbsenceKind.choices]
    absences, pairs = [], []
    for i, s in enumerate(staff):
        colleagues = [c for c in by_unit[units[i % len(units)].pk] if c.pk != s.pk]
        if i % 20 == 0:  # away today: listed on the home page and the absences page
            spans = [(today, today + dt.timedelta(days=1))]
        else:
            starts = [dt.date(today.year, 1, 1) + dt.timedelta(days=k * 120 + rng.randrange(0, 100)) for k in range(3)]
            spans = [(d, d + dt.timedelta(days=rng.randrange(5))) for d in starts]
        for k, (start, end) in enumerate(spans):
            absence = Absence(staff=s, kind=rng.choice(kinds), start=start, end=end)
            absences.append(absence)
            if k % 2 == 0 and colleagues:
                pairs.append((absence, rng.choice(colleagues)))
    Absence.objects.bulk_create(absences, batch_size=2000)
    Delegation.objects.bulk_create(
        [
            Delegation(
                organisation=org,
                principal=a.staff,
                deputy=d,
                scope=DelegationScope.ALL,
                start=a.start,
                end=a.end,
                reason=a.get_kind_display(),
                absence=a,
            )  # fmt: skip
            for a, d in pairs
        ],
        batch_size=2000,
    )
    ctx.counts.update(
        staff=Staff.objects.count(), absences=Absence.objects.count(), delegations=Delegation.objects.count()
    )


register_scenario(Scenario("home", "Trang chủ (Chánh Văn phòng)", user="ht.chanhvp", path="/", order=10))
register_scenario(Scenario("organisation", "Sơ đồ tổ chức", user="ht.tonghop.cv1", path="/to-chuc/", order=11))
register_scenario(Scenario("absences", "Vắng mặt, ủy quyền", user="ht.chanhvp", path="/vang-mat/", order=12))
register_scenario(
    Scenario(
        "calendar_due",
        "Tính hạn (htmx)",
        user="ht.vanthu1",
        path="/lich/?start=2026-02-13&days=10",
        headers={"HX-Request": "true"},
        order=13,
    )  # fmt: skip
)
register_scenario(
    Scenario("api_staff", "API danh bạ cán bộ", user="ht.vanthu1", path="/api/v1/staff/", auth="token", raw="staff")
)

_STAFF_PAGE_SQL = """
SELECT s.id, u.username, s.full_name, o.profile, p.position, un.code, p.title, un.name
FROM (SELECT id, user_id, full_name, organisation_id FROM office_staff
      WHERE organisation_id = %s AND is_active ORDER BY full_name, id LIMIT 50) s
JOIN auth_user u ON u.id = s.user_id
JOIN office_organisation o ON o.id = s.organisation_id
LEFT JOIN office_post p ON p.staff_id = s.id
LEFT JOIN office_unit un ON un.id = p.unit_id
ORDER BY s.full_name, s.id
"""


@register_raw("staff")
def raw_staff(cursor, user_id: int) -> bytes:
    """The first page of the staff directory, as /api/v1/staff/ serves it, in plain SQL."""
    cursor.execute("SELECT organisation_id FROM office_staff WHERE user_id = %s", [user_id])
    org_id = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM office_staff WHERE organisation_id = %s AND is_active", [org_id])
    total = cursor.fetchone()[0]
    cursor.execute(_STAFF_PAGE_SQL, [org_id])
    rows: dict[int, dict] = {}
    for pk, username, full_name, profile, position, unit, title, unit_name in cursor.fetchall():
        row = rows.setdefault(pk, {"username": username, "full_name": full_name, "organisation": profile, "posts": []})
        if position:
            row["posts"].append({"position": position, "unit": unit, "title": title or f"{position} {unit_name}"})
    return json.dumps({"count": total, "results": list(rows.values())}, ensure_ascii=False).encode()
