"""Benchmark plug-in of the workflow app (discovered by bench.registry).

Data: ctx.n(200_000) open deadlines spread over the coming year across the office's staff,
plus notifications for the demo specialist. Then one deadline scan is timed over them three
times — with 0, 100 and 1,000 items due — and its time and SQL queries are recorded in the
report's data counts (`deadline_scan_*`): the cost follows the number of items due, not the
number open (both selections are indexed range queries on remind_at / due_at).
Scenarios: my deadlines page, the notification API, the leaders' overdue dashboard.
"""

from __future__ import annotations

import datetime as dt
import time

from bench.registry import Context, Scenario, register_generator, register_scenario


def _scan(ctx: Context, label: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workflow.services.scan import run_deadline_scan

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        summary = run_deadline_scan(generate=False, email=False)
        elapsed = time.perf_counter() - started
    ctx.counts[f"deadline_scan_{label}_due"] = summary.reminded + summary.overdue
    ctx.counts[f"deadline_scan_{label}_ms"] = round(elapsed * 1000)
    ctx.counts[f"deadline_scan_{label}_queries"] = len(captured.captured_queries)


@register_generator(order=60, name="deadlines")
def deadlines(ctx: Context) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from bench import bulk
    from office.models import Organisation, Staff
    from workflow.models import Deadline, DeadlineState
    from workflow.services.deadlines import reminder_instant
    from workflow.services.notifications import notify

    org = ctx.organisation
    staff = list(Staff.objects.filter(organisation=org).prefetch_related("posts"))
    units = {s.pk: (s.main_post.unit_id if s.main_post else None) for s in staff}
    target_type = ContentType.objects.get_for_model(Organisation)
    now = timezone.now()
    today = timezone.localdate()
    # Due dates from the day after tomorrow to a year ahead: nothing is due yet.
    instants: dict[int, tuple[dt.datetime, dt.datetime | None]] = {}
    for offset in range(3, 368):
        due = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=offset), dt.time(23, 59, 59)))
        instants[offset] = (due, reminder_instant(due, 1))
    n = ctx.n(200_000)
    cols = [
        "id", "organisation_id", "target_type_id", "target_id", "kind", "title", "assignee_id", "unit_id", "due_at",
        "original_due_at", "remind_at", "source",
    ]  # fmt: skip
    ids = iter(bulk.reserve_ids(Deadline, n))
    rows = []
    for i in range(n):
        person = staff[ctx.rng.randrange(len(staff))]
        due, remind = instants[ctx.rng.randrange(3, 368)]
        if remind is not None and remind <= now:
            remind = due - dt.timedelta(days=1)
        rows.append(
            (next(ids), org.pk, target_type.pk, i, "bench.work", f"Việc {i}", person.pk, units[person.pk], due, due,
             remind, "benchmark")
        )  # fmt: skip
    with bulk.loading(Deadline):  # COPY with the indexes off, rebuilt from their definitions after
        bulk.copy_rows(Deadline, cols, rows)
    ctx.counts["deadlines_open"] = n

    cv = next((s for s in staff if s.user.username == "ht.kinhte.cv1"), staff[0])
    for i in range(ctx.n(200)):
        notify(cv, key=f"bench:{i}", kind="reminder", title=f"Việc số {i} sắp đến hạn", url="/cong-viec/", email=False)

    _scan(ctx, "0")
    pks = list(Deadline.objects.filter(kind="bench.work").values_list("pk", flat=True)[:1100])
    past = now - dt.timedelta(hours=1)
    # Make 100, then 1,000 of the open items due (their reminder time has come), and scan again.
    Deadline.objects.filter(pk__in=pks[:100]).update(remind_at=past)
    _scan(ctx, "100")
    Deadline.objects.filter(pk__in=pks[100:1100]).update(remind_at=past, state=DeadlineState.OPEN)
    _scan(ctx, "1000")
    ctx.ids["deadline_user"] = cv.user.username


register_scenario(Scenario("my_deadlines", "Việc của tôi, quá hạn", user="ht.kinhte.cv1", path="/cong-viec/", order=60))
register_scenario(
    Scenario(
        "api_notifications",
        "API thông báo",
        user="ht.kinhte.cv1",
        path="/api/v1/notifications/",
        auth="token",
        order=61,
    )  # fmt: skip
)
register_scenario(Scenario("overdue_dashboard", "Theo dõi quá hạn", user="ht.chanhvp", path="/cong-viec/theo-doi/",
                           order=62))  # fmt: skip
