"""Query-count guards: a list or detail page makes the same number of SQL queries with N rows
as with 10×N rows, so the tenth year of data does not slow it down one query per row.

Rows come from the benchmark's own deterministic generator (bench/foundation.py): staff
with posts, absences (some today) and acting-for delegations. Other capabilities guard
their pages in their own test files; add a line to GUARDED for every new Foundation page.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import foundation
from bench.registry import Context

#: (persona, URL): every list/detail page and API list of the Foundation.
GUARDED = [
    ("ht.chanhvp", "/"),
    ("ht.kinhte.cv1", "/"),
    ("ht.tonghop.cv1", "/to-chuc/"),
    ("ht.chanhvp", "/vang-mat/"),
    ("ht.tonghop.truong", "/vang-mat/"),
    ("ht.vanthu1", "/lich/"),
    ("ht.vanthu1", "/lich/?start=2026-02-13&days=10"),
    ("ht.vanthu1", "/api/v1/me/"),
    ("ht.vanthu1", "/api/v1/units/"),
    ("ht.vanthu1", "/api/v1/staff/"),
    ("ht.vanthu1", "/api/v1/staff/?unit=kinhte"),
    ("ht.chanhvp", "/api/v1/delegations/"),
    # The Chánh is everyone's fallback (000 Điều 4.3): whom he acts for is resolved for every person
    # away today, in memory from three queries (DayResolver), not one lookup each.
    ("ht.chanhvp", "/van-ban/cho-xu-ly/"),
    ("ht.chanhvp", "/van-ban/trinh/"),
    ("ht.chanhvp", "/api/v1/submissions/"),
]


def grow(ctx: Context, scale: float) -> None:
    ctx.scale = scale
    foundation.staff_absences_delegations(ctx)


@pytest.fixture
def office_rows(db):
    ctx = Context(scale=0.03)  # 6 extra staff
    foundation.organisation(ctx)
    grow(ctx, 0.03)
    return ctx


def count(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm per-process caches (content types, site, translations)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(("username", "url"), GUARDED)
def test_query_count_does_not_grow_with_rows(office_rows, login, username, url):
    from office.models import Absence, Staff

    client = login(username)
    small, _ = count(client, url)
    staff_before, absent_before = Staff.objects.count(), Absence.objects.count()
    grow(office_rows, 0.3)  # 60 more staff, with today's absences and delegations
    assert Staff.objects.count() >= staff_before + 50 and Absence.objects.count() > absent_before
    large, queries = count(client, url)
    assert large <= small, f"{url} as {username}: {small} queries → {large} with 10× the rows:\n" + "\n".join(
        queries[-(large - small) :]
    )


def test_the_generator_is_deterministic_and_bulk(db, django_assert_max_num_queries):
    """Same seed, same rows; ten times the staff takes the same few bulk statements."""
    from django.contrib.auth import get_user_model

    from office.models import Absence

    def rows():
        return list(Absence.objects.order_by("pk").values_list("staff__user__username", "kind", "start", "end"))

    ctx = Context(scale=0.05, seed=7)
    foundation.organisation(ctx)
    with django_assert_max_num_queries(20):
        foundation.staff_absences_delegations(ctx)
    first = rows()
    get_user_model().objects.filter(username__startswith="bench.").delete()
    Absence.objects.all().delete()
    foundation.staff_absences_delegations(Context(scale=0.05, seed=7, organisation=ctx.organisation))
    assert rows() == first
    with django_assert_max_num_queries(20):
        grow(ctx, 0.5)
    assert Absence.objects.count() > 5 * len(first)


#: (persona, URL, most queries allowed): the incoming pages of issue 3's performance section.
#: Session, user, staff, posts, office, whom I act for, the page's own queries, the session save.
INCOMING_PAGES = [
    ("ht.kinhte.cv1", "/van-ban/cho-xu-ly/", 10),
    ("ht.kinhte.cv1", "/van-ban/cho-xu-ly/?trang=2", 10),
    ("ht.vanthu1", "/van-ban/den/", 11),
    ("ht.vanthu1", "/van-ban/den/?q=kinh+phi+lu+lut", 13),
    ("ht.kinhte.cv1", "/van-ban/den/?q=cai+cach", 13),
    ("ht.vanthu1", "/api/v1/incoming/inbox/", 12),
]


def test_incoming_pages_make_the_same_few_queries_with_more_documents_and_absences(office_rows, login):
    """The benchmark's documents generator (COPY) twice, and ten times the staff with today's
    absences in between: the inbox, the register and search do not make one more query (no
    COUNT, no per-row or per-absence lookup), and stay within their budgets."""
    from documents import bench as documents_bench
    from documents.models import IncomingDocument

    documents_bench.incoming_documents(office_rows)
    clients = {username: login(username) for username, _, _ in INCOMING_PAGES}
    small = {url: count(clients[username], url)[0] for username, url, _ in INCOMING_PAGES}
    grow(office_rows, 0.3)
    documents_bench.incoming_documents(office_rows)
    assert IncomingDocument.objects.count() >= 2 * documents_bench.MINIMUM_DOCUMENTS
    for username, url, most in INCOMING_PAGES:
        large, queries = count(clients[username], url)
        assert large <= small[url] <= most, f"{url} as {username}: {small[url]} → {large} queries:\n" + "\n".join(
            queries
        )


def test_search_pages_are_the_same_as_one_query_over_the_whole_register(office_rows, login):
    """The bounded search (recent window first, then the trigram index for older documents) gives
    the rows and the order of a plain search over everything, on every page."""
    from documents import bench as documents_bench
    from documents import selectors
    from office.models import Staff

    documents_bench.incoming_documents(office_rows)
    me = Staff.objects.get(user__username="ht.vanthu1")
    f = selectors.Filters(q="phong chong")
    everything = list(selectors.filtered_incoming(me, f).order_by("-pk").values_list("pk", flat=True))
    assert len(everything) > selectors.PAGE_SIZE
    window = selectors.SEARCH_WINDOW
    try:
        selectors.SEARCH_WINDOW = 300  # so the pages cross from the window to the index
        seen, before = [], None
        while True:
            rows, before = selectors.register_page(me, f, before)
            seen += [d.pk for d in rows]
            if before is None:
                break
    finally:
        selectors.SEARCH_WINDOW = window
    assert seen == everything
