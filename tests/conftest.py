"""Shared fixtures: a loaded office per profile, personas by demo username, API clients."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from office.models import Organisation, Staff
from office.services.profiles import load_profile

PASSWORD = "matkhau-demo-2026"


@pytest.fixture
def hatinh(db) -> Organisation:
    return load_profile("hatinh-ubnd", demo_users=True, password=PASSWORD).organisation


@pytest.fixture
def binhthuan(db) -> Organisation:
    return load_profile("binhthuan-tinhuy", demo_users=True, password=PASSWORD).organisation


@pytest.fixture
def person(db):
    """person("ht.chanhvp") → Staff, with posts prefetched."""

    def get(username: str) -> Staff:
        return (
            Staff.objects.prefetch_related("posts__unit")
            .select_related("user", "organisation")
            .get(user__username=username)
        )

    return get


@pytest.fixture
def api(db):
    """api("ht.vanthu1") → an APIClient authenticated with that user's token."""

    def make(username: str | None = None) -> APIClient:
        client = APIClient()
        if username:
            response = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
            assert response.status_code == 200, response.content
            client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        return client

    return make


@pytest.fixture
def login(client):
    """login("ht.chanhvp") → the Django test client with that user's session."""

    def do(username: str):
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=username))
        return client

    return do


@pytest.fixture
def run_command():
    def run(*args, **kwargs):
        from io import StringIO

        out = StringIO()
        call_command(*args, stdout=out, **kwargs)
        return out.getvalue()

    return run
