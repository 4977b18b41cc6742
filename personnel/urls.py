"""Pages of the personnel app (filled by its capability issue)."""

app_name = "personnel"

urlpatterns: list = []
