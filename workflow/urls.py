"""Pages of the workflow app under /cong-viec/."""

from django.urls import path

from workflow import views

app_name = "workflow"

urlpatterns = [
    path("", views.my_deadlines, name="my_deadlines"),
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/da-doc/", views.notification_read, name="notifications_read"),
    path("thong-bao/chua-doc/", views.unread_badge, name="unread_badge"),
    path("phoi-hop/", views.coordination_list, name="coordination_list"),
    path("phoi-hop/moi/", views.coordination_new, name="coordination_new"),
    path("phoi-hop/<int:pk>/", views.coordination_detail, name="coordination_detail"),
    path("phoi-hop/<int:pk>/tra-loi/", views.coordination_reply, name="coordination_reply"),
    path("phoi-hop/<int:pk>/gia-han/", views.coordination_extend, name="coordination_extend"),
    path(
        "phoi-hop/<int:pk>/gia-han/<int:ext_id>/",
        views.coordination_extension_decide,
        name="coordination_extension_decide",
    ),
    path("phoi-hop/<int:pk>/lam-ro/", views.coordination_ask, name="coordination_ask"),
    path("phoi-hop/<int:pk>/ket-thuc/", views.coordination_close, name="coordination_close"),
    path("phoi-hop/<int:pk>/tep/<int:file_id>/", views.coordination_file, name="coordination_file"),
    path("dinh-ky/", views.schedule_list, name="schedules"),
    path("dinh-ky/<int:pk>/", views.schedule_item, name="schedule_item"),
    path("theo-doi/", views.dashboard, name="dashboard"),
]
