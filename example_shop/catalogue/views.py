from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from example_shop.cart.forms import QuantityForm
from example_shop.catalogue.models import Category, Product


def categories_with_counts() -> QuerySet[Category]:
    """Categories with the number of products on sale in each."""
    return Category.objects.annotate(
        product_count=Count("products", filter=Q(products__is_active=True))
    )


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        products = Product.objects.active().select_related("category")
        featured = products.filter(is_featured=True)[:8]
        context["featured_products"] = featured or products[:8]
        context["categories"] = categories_with_counts()
        return context


class CategoryListView(ListView):
    template_name = "catalogue/category_list.html"
    context_object_name = "categories"

    def get_queryset(self):
        return categories_with_counts()


class CategoryDetailView(ListView):
    template_name = "catalogue/category_detail.html"
    context_object_name = "products"
    paginate_by = 24

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return self.category.products.active().select_related("category")

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class ProductDetailView(DetailView):
    template_name = "catalogue/product_detail.html"
    context_object_name = "product"

    def get_queryset(self):
        return Product.objects.active().select_related("category")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["add_form"] = QuantityForm()
        return context
