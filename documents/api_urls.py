"""API of incoming documents under /api/v1/."""

from django.urls import path, re_path

from documents import api

urlpatterns = [
    path("incoming/", api.IncomingListCreate.as_view(), name="api-incoming"),
    path("incoming/inbox/", api.InboxView.as_view(), name="api-incoming-inbox"),
    path("incoming/<int:pk>/", api.IncomingDetail.as_view(), name="api-incoming-detail"),
    path("incoming/<int:pk>/route/", api.RouteView.as_view(), name="api-incoming-route"),
    path("incoming/<int:pk>/complete/", api.CompleteView.as_view(), name="api-incoming-complete"),
    path("incoming/<int:pk>/contribute/", api.ContributeView.as_view(), name="api-incoming-contribute"),
    path("incoming/<int:pk>/reopen/", api.ReopenView.as_view(), name="api-incoming-reopen"),
    re_path(
        r"^registers/incoming/(?P<year>\d{4})\.(?P<fmt>pdf|xlsx)$", api.RegisterExport.as_view(), name="api-register"
    ),
]
