from django.urls import path

from example_shop.enquiries import views

app_name = "enquiries"

urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.ContactThanksView.as_view(), name="contact_thanks"),
    path("quote/", views.quote_request, name="quote_request"),
    path("quote/thanks/", views.QuoteThanksView.as_view(), name="quote_thanks"),
]
