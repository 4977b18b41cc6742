"""API of incoming documents under /api/v1/."""

from django.urls import path, re_path

from documents import api, api_outgoing

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
    path("submissions/", api_outgoing.SubmissionListCreate.as_view(), name="api-submissions"),
    path("submissions/<int:pk>/", api_outgoing.SubmissionDetail.as_view(), name="api-submission"),
    path("submissions/<int:pk>/decide/", api_outgoing.DecideView.as_view(), name="api-submission-decide"),
    path("submissions/<int:pk>/resubmit/", api_outgoing.ResubmitView.as_view(), name="api-submission-resubmit"),
    path("submissions/<int:pk>/pdf", api_outgoing.SubmissionPdf.as_view(), name="api-submission-pdf"),
    path("outgoing/<int:pk>/", api_outgoing.OutgoingDetail.as_view(), name="api-outgoing"),
    path("outgoing/<int:pk>/sign/", api_outgoing.SignView.as_view(), name="api-outgoing-sign"),
    path("outgoing/<int:pk>/issue/", api_outgoing.IssueView.as_view(), name="api-outgoing-issue"),
    path("outgoing/<int:pk>/pdf", api_outgoing.OutgoingPdf.as_view(), name="api-outgoing-pdf"),
]
