"""Pages of the personnel app under /nhan-su/."""

from django.urls import path

from personnel import views

app_name = "personnel"

urlpatterns = [
    path("", views.index, name="index"),
    path("nghi/", views.leave_list, name="leave_list"),
    path("nghi/<int:pk>/", views.leave_detail, name="leave_detail"),
    path("nghi/<int:pk>/y-kien/", views.leave_decide, name="leave_decide"),
    path("nghi/<int:pk>/huy/", views.leave_cancel, name="leave_cancel"),
    path("ke-hoach-phep/", views.leave_plans, name="leave_plans"),
    path("ke-hoach-phep/<int:pk>/xac-nhan/", views.leave_plan_confirm, name="leave_plan_confirm"),
    path("cong-tac/", views.trip_list, name="trip_list"),
    path("cong-tac/<int:pk>/", views.trip_detail, name="trip_detail"),
    path("cong-tac/<int:pk>/y-kien/", views.trip_decide, name="trip_decide"),
    path("cong-tac/<int:pk>/bao-cao/", views.trip_report, name="trip_report"),
    path("cong-tac/<int:pk>/huy/", views.trip_cancel, name="trip_cancel"),
    path("cong-tac/<int:pk>/giay-di-duong/", views.trip_issue_paper, name="trip_issue_paper"),
    path("giay/", views.paper_list, name="papers"),
    path("giay/<int:pk>.pdf", views.paper_pdf_view, name="paper_pdf"),
    path("giay/<int:pk>/thu-hoi/", views.paper_revoke, name="paper_revoke"),
    path("ban-giao/", views.handover_list, name="handover_list"),
    path("ban-giao/<int:pk>/", views.handover_detail, name="handover_detail"),
    path("ban-giao/<int:pk>/<slug:action>/", views.handover_action, name="handover_action"),
    path("lam-them-gio/", views.overtime_list, name="overtime"),
    path("lam-them-gio/<int:pk>/xac-nhan/", views.overtime_confirm, name="overtime_confirm"),
    path("thanh-toan/", views.claim_list, name="claim_list"),
    path("thanh-toan/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("thanh-toan/<int:pk>/<slug:action>/", views.claim_action, name="claim_action"),
    path("lich-vang/", views.away_calendar, name="away_calendar"),
    path("danh-sach-nam/", views.yearly_lists, name="yearly"),
]
