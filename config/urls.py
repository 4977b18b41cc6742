from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

from office import views as office_views

api_v1 = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include("office.api_urls")),
    path("", include("documents.api_urls")),
    path("", include("workflow.api_urls")),
    path("", include("personnel.api_urls")),
]

urlpatterns = [
    path("", office_views.home, name="home"),
    path("", include("office.urls")),
    path("van-ban/", include("documents.urls")),
    path("cong-viec/", include("workflow.urls")),
    path("nhan-su/", include("personnel.urls")),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", office_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says; answer with the icon in static/.
    path("favicon.ico", office_views.favicon, name="favicon"),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

admin.site.site_header = "Quản trị hệ thống văn phòng điện tử"
admin.site.site_title = "Quản trị"
admin.site.index_title = "Thiết lập cơ quan"
