"""Models for testing the registry: a support desk with tickets and a newsletter list."""

from django.conf import settings
from django.db import models


class Ticket(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    email = models.EmailField("e-mail address")
    phone = models.CharField("phone number", max_length=30, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    colour = models.CharField(max_length=20, default="blue")

    def __str__(self) -> str:
        return self.subject


class Subscriber(models.Model):
    email = models.EmailField(unique=True)
    subscribed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"subscriber {self.pk}"
