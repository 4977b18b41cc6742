"""Pages of the workflow app (filled by its capability issue)."""

app_name = "workflow"

urlpatterns: list = []
