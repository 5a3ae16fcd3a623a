from django.db import models


class NewsletterSignup(models.Model):
    """Personal data nobody declared (broken on purpose: models-declared fails)."""

    email = models.EmailField()
    full_name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.full_name


class Note(models.Model):
    """Declared, but its "anonymiser" gives the text back (erasure-leaves-held-only fails)."""

    email = models.EmailField()
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Note {self.pk}"
