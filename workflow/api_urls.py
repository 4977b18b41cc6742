"""API of the workflow app under /api/v1/."""

from django.urls import path

from workflow import api

urlpatterns = [
    path("coordination/", api.CoordinationListCreate.as_view(), name="api-coordination"),
    path("coordination/<int:pk>/", api.CoordinationDetail.as_view(), name="api-coordination-detail"),
    path("coordination/<int:pk>/reply/", api.ReplyView.as_view(), name="api-coordination-reply"),
    path("coordination/<int:pk>/extend/", api.ExtendView.as_view(), name="api-coordination-extend"),
    path(
        "coordination/<int:pk>/extensions/<int:ext_id>/decide/",
        api.DecideExtensionView.as_view(),
        name="api-coordination-extension-decide",
    ),
    path("coordination/<int:pk>/close/", api.CloseView.as_view(), name="api-coordination-close"),
    path("notifications/", api.NotificationList.as_view(), name="api-notifications"),
    path("notifications/read/", api.MarkReadView.as_view(), name="api-notifications-read"),
    path("deadlines/", api.DeadlineList.as_view(), name="api-deadlines"),
]
