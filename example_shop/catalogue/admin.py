from django.contrib import admin

from example_shop.catalogue.models import Category, Product


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "sku",
        "category",
        "kind",
        "price",
        "stock",
        "is_active",
        "mid_approved",
    ]
    list_editable = ["stock", "is_active"]
    list_filter = ["category", "kind", "is_active", "is_featured", "mid_approved"]
    list_select_related = ["category"]
    search_fields = ["name", "sku", "short_description"]
    prepopulated_fields = {"slug": ["name"]}
