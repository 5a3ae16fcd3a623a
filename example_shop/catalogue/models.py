"""What the shop sells: meters, current transformers and the bits that go with them."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:category_detail", kwargs={"slug": self.slug})


class ProductQuerySet(models.QuerySet):
    def active(self) -> "ProductQuerySet":
        return self.filter(is_active=True)

    def in_stock(self) -> "ProductQuerySet":
        return self.filter(stock__gt=0)


class Product(models.Model):
    class Kind(models.TextChoices):
        SINGLE_PHASE_METER = "single_phase_meter", "Single-phase meter"
        THREE_PHASE_METER = "three_phase_meter", "Three-phase meter"
        CURRENT_TRANSFORMER = "current_transformer", "Current transformer"
        ACCESSORY = "accessory", "Accessory"

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    sku = models.CharField("SKU", max_length=40, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    short_description = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(
        "price (GBP incl. VAT)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    stock = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)
    is_featured = models.BooleanField("featured on the home page", default=False)
    mid_approved = models.BooleanField(
        "MID approved",
        default=False,
        help_text="Approved under the Measuring Instruments Directive, so usable for billing.",
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["category__name", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:product_detail", kwargs={"slug": self.slug})

    @property
    def in_stock(self) -> bool:
        return self.stock > 0
