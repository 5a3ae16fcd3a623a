"""Demo data for the example shop: a realistic catalogue and eight years of customers.

``python manage.py load_demo_data`` calls :func:`load_demo_data`. The random seed is fixed, so
two runs create the same people, orders and messages (dated relative to today). Old records
matter to a privacy layer: orders completed more than seven years ago, enquiries answered long
ago and quotes declined or expired are what retention rules act on.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from factory.random import randgen, reseed_random

from example_shop import factories
from example_shop.catalogue.models import Category, Product
from example_shop.demo_catalogue import CATALOGUE
from example_shop.demo_texts import DESCRIPTIONS, ENQUIRIES, QUOTE_MESSAGES
from example_shop.enquiries.models import Enquiry, QuoteRequest
from example_shop.orders.models import Order

DEMO_SEED = 44864
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin"  # noqa: S105 -- printed on screen; demo databases only
DAYS = 8 * 365
SEVEN_YEARS = timedelta(days=7 * 365)
CUSTOMER_COUNT = 30
ORDER_COUNT = 120
ENQUIRY_COUNT = 40
QUOTE_COUNT = 30

Log = Callable[[str], None]


def load_demo_data(reset: bool = False, log: Log = print) -> dict[str, int]:
    """Create the demo shop; return how many rows of each kind the database now holds.

    Without ``reset`` it does nothing when products already exist. With ``reset`` it first
    deletes the catalogue, orders, enquiries, quote requests and every non-staff user.
    """
    if reset:
        wipe()
        log("Deleted the catalogue, customers, orders, enquiries and quote requests.")
    elif Product.objects.exists():
        log("Products already exist: nothing loaded (use --reset to start again).")
        return counts()

    reseed_random(DEMO_SEED)
    for factory_class in factories.ALL_FACTORIES:
        factory_class.reset_sequence()
    now = timezone.now()
    with transaction.atomic():
        admin = ensure_admin()
        products = create_catalogue()
        on_sale = [product for product in products if product.is_active]
        customers = create_customers(now)
        create_orders(now, customers, on_sale)
        create_enquiries(now, answered_by=admin)
        create_quotes(now, customers, on_sale)
        create_forgotten(now, on_sale)
    return counts()


def counts() -> dict[str, int]:
    long_ago = timezone.now() - SEVEN_YEARS
    return {
        "categories": Category.objects.count(),
        "products": Product.objects.count(),
        "customers": User.objects.filter(is_staff=False).count(),
        "orders": Order.objects.count(),
        "orders completed over 7 years ago": Order.objects.filter(
            completed_at__lt=long_ago
        ).count(),
        "enquiries": Enquiry.objects.count(),
        "quote requests": QuoteRequest.objects.count(),
    }


def wipe() -> None:
    with transaction.atomic():
        Order.objects.all().delete()  # their lines go with them
        QuoteRequest.objects.all().delete()
        Enquiry.objects.all().delete()
        Product.objects.all().delete()
        Category.objects.all().delete()
        User.objects.filter(is_staff=False).delete()  # their profiles go with them


def ensure_admin() -> User:
    """The demo superuser. Its password is public: never load demo data into a real shop."""
    admin, _ = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={
            "email": "admin@jsgsolutions.example",
            "first_name": "Demo",
            "last_name": "Admin",
        },
    )
    admin.is_staff = admin.is_superuser = True
    admin.set_password(ADMIN_PASSWORD)
    admin.save()
    return admin


def create_catalogue() -> list[Product]:
    products = []
    for data in CATALOGUE:
        category = factories.CategoryFactory(
            name=data["name"], slug=data["slug"], description=data["description"]
        )
        for product in data["products"]:
            description = DESCRIPTIONS[product["kind"]]
            products.append(
                factories.ProductFactory(category=category, description=description, **product)
            )
    return products


def days_ago(now: datetime, oldest: float, newest: float = 0) -> datetime:
    return now - timedelta(days=randgen.uniform(newest, oldest))


def create_customers(now: datetime) -> list[User]:
    customers = []
    for index in range(CUSTOMER_COUNT):
        joined = days_ago(now, DAYS, 30)
        # Every seventh account has not been used since its first week.
        last_login = joined + timedelta(days=3) if index % 7 == 0 else days_ago(now, 90)
        user = factories.UserFactory(date_joined=joined, last_login=last_login, profile=None)
        factories.CustomerProfileFactory(user=user, created_at=joined, trade=index % 3 == 0)
        customers.append(user)
    return customers


def order_lifecycle(now: datetime, created: datetime) -> dict:
    """Status and dates of an order placed at ``created``: old orders are long finished."""
    age = now - created
    invoiced = created + timedelta(hours=randgen.randint(1, 48))
    if age > timedelta(days=30):
        if randgen.random() < 0.06:
            return {"status": Order.Status.CANCELLED}
        completed = invoiced + timedelta(days=randgen.randint(3, 14))
        return {
            "status": Order.Status.COMPLETED,
            "invoiced_at": invoiced,
            "completed_at": completed,
        }
    if age > timedelta(days=7):
        return {"status": Order.Status.DISPATCHED, "invoiced_at": invoiced}
    if age > timedelta(days=2):
        return {"status": Order.Status.PAID, "invoiced_at": invoiced}
    return {"status": Order.Status.AWAITING_PAYMENT}


def create_orders(now: datetime, customers: list[User], on_sale: list[Product]) -> None:
    # A dozen finished more than seven years ago, ten in the last three weeks, the rest between;
    # created oldest first so that references grow with time.
    dates = [days_ago(now, DAYS, 7 * 365 + 30) for _ in range(12)]
    dates += [days_ago(now, 21) for _ in range(10)]
    dates += [days_ago(now, DAYS) for _ in range(ORDER_COUNT - len(dates))]
    for index, created in enumerate(sorted(dates)):
        fields = order_lifecycle(now, created)
        joined_by_then = [user for user in customers if user.date_joined <= created]
        if joined_by_then and randgen.random() < 0.6:
            user = randgen.choice(joined_by_then)
            profile = user.customer_profile
            fields.update(
                user=user,
                phone=profile.phone,
                billing_line1=profile.billing_line1,
                billing_town=profile.billing_town,
                billing_postcode=profile.billing_postcode,
            )
        if randgen.random() < 0.3:
            fields["mpan"] = ""
        order = factories.OrderFactory(
            created_at=created,
            lines=0,
            placed_by_agent=index % 9 == 4,
            placed_by_employer=index % 11 == 5,
            **fields,
        )
        for product in randgen.sample(on_sale, k=randgen.randint(1, 3)):
            factories.OrderLineFactory(order=order, product=product)
        order.recalculate_totals()
        order.save(update_fields=["subtotal", "total"])


def create_forgotten(now: datetime, on_sale: list[Product]) -> None:
    """What shops forget: accounts nobody ever logged in to, orders never paid or cancelled years
    ago. None has the date its retention rule counts from; each falls back on when it was made."""
    for years in (4, 5, 6):
        joined = now - timedelta(days=365 * years)
        user = factories.UserFactory(date_joined=joined, last_login=None, profile=None)
        factories.CustomerProfileFactory(user=user, created_at=joined)
    for years, status in (
        (3, Order.Status.AWAITING_PAYMENT),
        (4, Order.Status.AWAITING_PAYMENT),
        (5, Order.Status.CANCELLED),
    ):
        order = factories.OrderFactory(
            created_at=now - timedelta(days=365 * years), status=status, invoiced_at=None, lines=0
        )
        factories.OrderLineFactory(order=order, product=on_sale[0])
        order.recalculate_totals()
        order.save(update_fields=["subtotal", "total"])


def create_enquiries(now: datetime, answered_by: User) -> None:
    for index in range(ENQUIRY_COUNT):
        created = days_ago(now, 2) if index < 4 else days_ago(now, DAYS, 3)
        answered = None if index < 4 else created + timedelta(hours=randgen.randint(2, 72))
        subject, message = randgen.choice(ENQUIRIES)
        factories.EnquiryFactory(
            created_at=created,
            answered_at=answered,
            answered_by=answered_by if answered else None,
            subject=subject,
            message=message,
        )


def create_quotes(now: datetime, customers: list[User], on_sale: list[Product]) -> None:
    decided = [
        QuoteRequest.Status.ACCEPTED,
        QuoteRequest.Status.DECLINED,
        QuoteRequest.Status.EXPIRED,
    ]
    for index in range(QUOTE_COUNT):
        created = days_ago(now, 4) if index < 3 else days_ago(now, DAYS, 4)
        quoted = created + timedelta(days=randgen.randint(1, 3))
        fields: dict = {"status": QuoteRequest.Status.OPEN}
        if now - created > timedelta(days=60):
            fields.update(
                status=randgen.choice(decided),
                quoted_at=quoted,
                decided_at=quoted + timedelta(days=randgen.randint(2, 30)),
            )
        elif quoted < now:
            fields.update(status=QuoteRequest.Status.SENT, quoted_at=quoted)
        if index % 4 == 0:
            fields["user"] = user = randgen.choice(customers)
            fields.update(name=user.get_full_name(), email=user.email)
        factories.QuoteRequestFactory(
            created_at=created,
            message=randgen.choice(QUOTE_MESSAGES),
            products=randgen.sample(on_sale, k=randgen.randint(1, 3)),
            **fields,
        )
