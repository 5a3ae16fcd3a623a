from django.urls import include, path

from jsg_privacy import languages
from jsg_privacy.notice import views as notice_views

app_name = "jsg_privacy"

urlpatterns = [
    path("notice/", notice_views.notice, name="notice"),
    path("notice.json", notice_views.notice_json, name="notice-json"),
    path("notice/versions/", notice_views.history, name="notice-history"),
    path("notice/versions/<str:digest>/", notice_views.version_detail, name="notice-version"),
    path("cookies/", include("jsg_privacy.consent.urls")),
    path("marketing/", include("jsg_privacy.marketing.urls")),
    path("payments/", include("jsg_privacy.payments.urls")),
    path("requests/", include("jsg_privacy.requests.urls")),
    path("language/", languages.set_language, name="language"),
]
