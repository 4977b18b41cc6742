from django.urls import path

from office import views

app_name = "office"

urlpatterns = [
    path("to-chuc/", views.organisation, name="organisation"),
    path("vang-mat/", views.absences, name="absences"),
    path("vang-mat/<int:pk>/huy/", views.cancel_absence, name="cancel_absence"),
    path("lich/", views.calendar_view, name="calendar"),
]
