from django.urls import path

from office import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("units/", api.UnitList.as_view(), name="api-units"),
    path("staff/", api.StaffList.as_view(), name="api-staff"),
    path("delegations/", api.DelegationListCreate.as_view(), name="api-delegations"),
    path("acting-for/", api.ActingForView.as_view(), name="api-acting-for"),
    path("calendar/add-working-days/", api.AddWorkingDaysView.as_view(), name="api-add-working-days"),
    path("calendar/working-days/", api.WorkingDaysView.as_view(), name="api-working-days"),
]
