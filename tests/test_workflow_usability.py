"""Usability gaps of the issue-5 audit: the coordination form's recipient picker tells people apart
(«Họ tên — chức vụ (đơn vị)», grouped by unit, by seniority) and «Việc của tôi» sits in the main
navigation of every staff member with their overdue count."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import foundation
from bench.registry import Context
from office.models import Post, Staff
from workflow.services import deadlines

FORM = "/cong-viec/phoi-hop/moi/"
BADGE = "/cong-viec/thong-bao/chua-doc/"
HTMX = {"HTTP_HX_REQUEST": "true"}


class _Select(HTMLParser):
    """The optgroups of one <select name=…>: [(group label, [option labels])]; and checkbox labels."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.inside, self.groups, self._option = name, False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("name") == self.name
        elif self.inside and tag == "optgroup":
            self.groups.append((attrs["label"], []))
        elif self.inside and tag == "option":
            self._option = ""

    def handle_data(self, data):
        if self._option is not None:
            self._option += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.groups[-1][1].append(self._option.strip())
            self._option = None
        elif tag == "select":
            self.inside = False


def picker(html: str) -> list[tuple[str, list[str]]]:
    parser = _Select("people")
    parser.feed(html)
    return parser.groups


def label_of(username: str) -> str:
    staff = Staff.objects.prefetch_related("posts__unit").get(user__username=username)
    return f"{staff.full_name} — {staff.main_post.display_title}"


# --------------------------------------------------------------------------- recipient picker


def test_recipient_picker_shows_each_person_with_post_grouped_by_unit_in_order_of_seniority(hatinh, login):
    groups = picker(login("ht.tonghop.cv1").get(FORM).content.decode())
    names = [g for g, _ in groups]
    assert names[0] == "Lãnh đạo Văn phòng"  # Chánh, Phó Chánh: no unit
    units = list(hatinh.units.order_by("order", "name").values_list("name", flat=True))
    assert names[1:] == [u for u in units if u in names[1:]]  # then the units in the office's order
    assert len(names) == len(set(names))
    assert "Lãnh đạo cấp trên" not in names  # the Chủ tịch is reached by phiếu trình, not phối hợp (000 Điều 10.5)
    leaders = dict(groups)["Lãnh đạo Văn phòng"]
    assert leaders[0] == label_of("ht.chanhvp") and label_of("ht.pcvp1") in leaders
    kinhte = dict(groups)["Phòng Kinh tế ngành"]
    assert kinhte.index(label_of("ht.kinhte.truong")) < kinhte.index(label_of("ht.kinhte.cv1"))
    assert "Chuyên viên Phòng Kinh tế ngành" in label_of("ht.kinhte.cv1")  # the unit is named once, not twice
    everyone = [label for _, labels in groups for label in labels]
    assert label_of("ht.tonghop.cv1") not in everyone  # not oneself
    assert all(" — " in label for label in everyone)


def test_a_post_title_that_does_not_name_the_unit_gets_the_unit_in_brackets(hatinh, login):
    post = Post.objects.get(staff__user__username="ht.kinhte.cv2", unit__isnull=False)
    post.title = "Chuyên viên theo dõi giao thông"
    post.save()
    groups = dict(picker(login("ht.tonghop.cv1").get(FORM).content.decode()))
    name = Staff.objects.get(user__username="ht.kinhte.cv2").full_name
    assert f"{name} — Chuyên viên theo dõi giao thông (Phòng Kinh tế ngành)" in groups["Phòng Kinh tế ngành"]


def test_two_people_with_the_same_name_and_post_are_told_apart_by_their_login(hatinh, login):
    one, two = Staff.objects.filter(user__username__in=["ht.kinhte.cv1", "ht.kinhte.cv2"]).order_by("pk")
    two.full_name = one.full_name
    two.save()
    page = login("ht.tonghop.cv1").get(FORM).content.decode()
    kinhte = dict(picker(page))["Phòng Kinh tế ngành"]
    assert f"{label_of('ht.kinhte.cv1')} · ht.kinhte.cv1" in kinhte
    assert f"{label_of('ht.kinhte.cv2')} · ht.kinhte.cv2" in kinhte


def test_the_unit_picker_says_what_kind_of_unit_each_is(hatinh, login):
    page = login("ht.tonghop.cv1").get(FORM).content.decode()
    assert "Phòng Kinh tế ngành — đơn vị chuyên môn" in page
    assert re.search(r"— đơn vị (phục vụ|sự nghiệp)", page)


def test_the_grouped_picker_still_sends_to_the_chosen_person(hatinh, login, person):
    from workflow.models import CoordinationRequest

    kinhte = person("ht.kinhte.truong")
    response = login("ht.tonghop.cv1").post(
        FORM, {"kind": "coordination", "subject": "Góp ý dự thảo", "people": [kinhte.pk], "units": []}
    )
    assert response.status_code == 302
    assert list(CoordinationRequest.objects.get().recipients.values_list("staff_id", flat=True)) == [kinhte.pk]


def test_the_form_page_makes_the_same_queries_with_ten_times_the_staff(db, login, django_assert_max_num_queries):
    ctx = Context(scale=0.03)
    foundation.organisation(ctx)
    foundation.staff_absences_delegations(ctx)
    client = login("ht.tonghop.cv1")
    client.get(FORM)  # warm per-process caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(FORM).status_code == 200
    before = Staff.objects.count()
    ctx.scale = 0.3
    foundation.staff_absences_delegations(ctx)
    assert Staff.objects.count() >= before + 50
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(FORM).content.decode()
    assert (
        sum(len(labels) for _, labels in picker(page))
        == Staff.objects.filter(is_active=True, principal__isnull=True).count() - 1
    )


# --------------------------------------------------------------------------- «Việc của tôi» in the navigation


def _main_nav(html: str) -> str:
    return re.search(r'<nav id="main-nav".*?</nav>', html, re.S).group(0)


@pytest.mark.parametrize(
    "username", ["ht.vanthu1", "ht.chanhvp", "ht.pcvp1", "ht.tonghop.truong", "ht.kinhte.cv1", "ht.ketoan"]
)
def test_my_work_is_in_the_main_navigation_of_every_staff_member(hatinh, login, username):
    nav = _main_nav(login(username).get("/").content.decode())
    assert re.search(r'<a href="/cong-viec/"[^>]*>Việc của tôi <span id="overdue-slot"', nav)


def test_my_work_is_the_current_page_on_the_work_pages_not_on_notifications(hatinh, login):
    client = login("ht.kinhte.cv1")
    work = _main_nav(client.get("/cong-viec/").content.decode())
    assert re.search(r'<a href="/cong-viec/" aria-current="page">Việc của tôi', work)
    assert not re.search(r'href="/cong-viec/thong-bao/" aria-current', work)
    notes = _main_nav(client.get("/cong-viec/thong-bao/").content.decode())
    assert re.search(r'href="/cong-viec/thong-bao/" aria-current="page"', notes)
    assert not re.search(r'<a href="/cong-viec/" aria-current', notes)


def test_the_header_poll_brings_my_overdue_count_to_the_my_work_link(hatinh, login, person):
    me = person("ht.kinhte.cv1")
    client = login("ht.kinhte.cv1")
    past = timezone.now() - dt.timedelta(days=3)
    for i in range(3):
        deadlines.open_deadline(hatinh, kind=f"test.{i}", title=f"Việc {i}", assignee=me, due_at=past)
    deadlines.open_deadline(hatinh, kind="test.later", title="Chưa đến hạn", assignee=me,
                            due_at=timezone.now() + dt.timedelta(days=3))  # fmt: skip
    deadlines.open_deadline(hatinh, kind="test.other", title="Của người khác", assignee=person("ht.kinhte.cv2"),
                            due_at=past)  # fmt: skip
    badge = client.get(BADGE, **HTMX).content.decode()
    slot = re.search(r'<span id="overdue-slot" hx-swap-oob="innerHTML">(.*?)</span>\s*$', badge, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", slot) == "3 quá hạn"
    assert "badge-overdue" in slot


def test_without_overdue_work_the_poll_clears_the_badge(hatinh, login):
    badge = login("ht.kinhte.cv1").get(BADGE, **HTMX).content.decode()
    assert re.search(r'<span id="overdue-slot" hx-swap-oob="innerHTML"></span>', badge)
    assert "badge-overdue" not in badge


def test_the_overdue_count_costs_the_pages_no_query(hatinh, login, person):
    """Pages render the empty slot; only the header's existing poll counts (one indexed COUNT)."""
    client = login("ht.kinhte.cv1")
    client.get("/to-chuc/")
    with CaptureQueriesContext(connection) as page:
        client.get("/to-chuc/")
    assert not [q for q in page.captured_queries if "workflow_deadline" in q["sql"]]
    client.get(BADGE, **HTMX)
    with CaptureQueriesContext(connection) as plain:
        client.get(BADGE)
    with CaptureQueriesContext(connection) as poll:
        client.get(BADGE, **HTMX)
    assert len(poll.captured_queries) == len(plain.captured_queries) + 1
    assert sum("workflow_deadline" in q["sql"] for q in poll.captured_queries) == 1
