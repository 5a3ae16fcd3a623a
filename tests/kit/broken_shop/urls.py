from django.urls import path
from django.views.generic import TemplateView

from example_shop.urls import urlpatterns as shop_urlpatterns

# The broken pages first; the example shop's URLs behind them (its base template links to them).
urlpatterns = [
    path("", TemplateView.as_view(template_name="broken_shop/home.html")),
    path("news/", TemplateView.as_view(template_name="broken_shop/news.html")),
    path("sign-up/", TemplateView.as_view(template_name="broken_shop/sign_up.html")),
    *shop_urlpatterns,
]
