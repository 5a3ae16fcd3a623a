"""Models for testing the registry: a support desk with tickets and a newsletter list."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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


class Delivery(models.Model):
    """A guest's delivery: personal data inside a JSON field, found by an e-mail inside it."""

    reference = models.CharField(max_length=20, unique=True)
    extra = models.JSONField(default=dict)
    placed_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.reference


class Member(models.Model):
    """A forum member with a unique public handle: anonymising two must not collide."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    handle = models.CharField(max_length=40, unique=True)
    signature = models.TextField(blank=True)
    joined_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.handle


class Warranty(models.Model):
    """Linked to its owner with a required link and on_delete=CASCADE: a trap for legal holds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    serial = models.CharField(max_length=40)
    registered_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.serial


class Parcel(models.Model):
    """A shipment whose address is its own row: anonymising the parcel clears the link."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    address = models.ForeignKey("ParcelAddress", null=True, on_delete=models.SET_NULL)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"parcel {self.pk}"


class ParcelAddress(models.Model):
    line1 = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.postcode
