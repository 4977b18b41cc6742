"""API of the documents app under /api/v1/ (filled by its capability issue)."""

urlpatterns: list = []
