from django.urls import path

from documents import views, views_outgoing

app_name = "documents"

urlpatterns = [
    path("cho-xu-ly/", views.inbox, name="inbox"),
    path("den/", views.register_list, name="register"),
    path("den/vao-so/", views.register_new, name="register_new"),
    path("den/<int:pk>/", views.detail, name="detail"),
    path("den/<int:pk>/chuyen/", views.route, name="route"),
    path("den/<int:pk>/hoan-thanh/", views.complete, name="complete"),
    path("den/<int:pk>/y-kien/", views.contribute, name="contribute"),
    path("den/<int:pk>/mo-lai/", views.reopen, name="reopen"),
    path("den/<int:pk>/tep/", views.add_file, name="add_file"),
    path("den/<int:pk>/tep/<int:file_id>/", views.download, name="download"),
    path("so-den/<int:year>.pdf", views.register_pdf, name="register_pdf"),
    path("so-den/<int:year>.xlsx", views.register_xlsx, name="register_xlsx"),
    path("trinh/", views_outgoing.sheet_list, name="sheets"),
    path("trinh/moi/", views_outgoing.sheet_new, name="sheet_new"),
    path("trinh/<int:pk>/", views_outgoing.sheet, name="sheet"),
    path("trinh/<int:pk>/y-kien/", views_outgoing.sheet_decide, name="sheet_decide"),
    path("trinh/<int:pk>/trinh-lai/", views_outgoing.sheet_resubmit, name="sheet_resubmit"),
    path("trinh/<int:pk>/phieu.pdf", views_outgoing.sheet_pdf, name="sheet_pdf"),
    path("di/", views_outgoing.outgoing_list, name="outgoing_list"),
    path("di/<int:pk>/", views_outgoing.outgoing_detail, name="outgoing"),
    path("di/<int:pk>/ky/", views_outgoing.outgoing_sign, name="outgoing_sign"),
    path("di/<int:pk>/phat-hanh/", views_outgoing.outgoing_issue, name="outgoing_issue"),
    path("di/<int:pk>/van-ban.pdf", views_outgoing.outgoing_pdf, name="outgoing_pdf"),
    path("di/<int:pk>/tep/<int:file_id>/", views_outgoing.outgoing_file, name="outgoing_file"),
]
