"""Pages of the documents app (filled by its capability issue)."""

app_name = "documents"

urlpatterns: list = []
