"""API of the personnel app under /api/v1/ (../shared/spec/api.md "Personnel")."""

from django.urls import path

from personnel import api

urlpatterns = [
    path("leave/", api.LeaveListCreate.as_view(), name="api-leave"),
    path("leave/<int:pk>/", api.LeaveDetail.as_view(), name="api-leave-detail"),
    path("leave/<int:pk>/decide/", api.LeaveDecide.as_view(), name="api-leave-decide"),
    path("trips/", api.TripListCreate.as_view(), name="api-trips"),
    path("trips/<int:pk>/", api.TripDetail.as_view(), name="api-trip-detail"),
    path("trips/<int:pk>/decide/", api.TripDecide.as_view(), name="api-trip-decide"),
    path("trips/<int:pk>/report/", api.TripReport.as_view(), name="api-trip-report"),
    path("trips/<int:pk>/travel-paper/", api.TripTravelPaper.as_view(), name="api-trip-travel-paper"),
    path("papers/", api.PaperList.as_view(), name="api-papers"),
    path("papers/introduction/", api.IntroductionCreate.as_view(), name="api-introduction"),
    path("papers/<int:pk>/pdf", api.PaperPdf.as_view(), name="api-paper-pdf"),
    path("handovers/", api.HandoverListCreate.as_view(), name="api-handovers"),
    path("handovers/<int:pk>/confirm/", api.HandoverConfirm.as_view(), name="api-handover-confirm"),
    path("overtime/", api.OvertimeListCreate.as_view(), name="api-overtime"),
    path("overtime/<int:pk>/confirm/", api.OvertimeConfirm.as_view(), name="api-overtime-confirm"),
    path("payment-claims/", api.ClaimListCreate.as_view(), name="api-payment-claims"),
    path("payment-claims/<int:pk>/", api.ClaimDetail.as_view(), name="api-payment-claim-detail"),
    path("payment-claims/<int:pk>/decide/", api.ClaimDecide.as_view(), name="api-payment-claim-decide"),
]
