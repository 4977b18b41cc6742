from django.urls import path

from documents import views

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
]
