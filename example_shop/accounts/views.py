from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from example_shop.accounts.forms import CustomerProfileForm, LoginForm, NameForm, SignUpForm
from example_shop.accounts.models import CustomerProfile
from example_shop.orders.models import Order
from jsg_privacy.requests import identity


class ShopLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class ShopPasswordResetConfirmView(PasswordResetConfirmView):
    """Setting a new password through the link e-mailed to the account's address proves that
    address: records found only by it (guest orders) then belong to this account."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        if user.email:
            identity.record_proof(user, user.email, "set a new password by a link e-mailed to it")
        return response


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The ``next`` parameter if it points back into this site, else ``default``."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            CustomerProfile.objects.create(user=user, phone=form.cleaned_data.get("phone", ""))
            form.record_marketing(user=user, email=user.email, request=request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Your account has been created.")
        # Prove the address: until then, records found only by it (guest orders, enquiries) are
        # not released to this account, since anyone can sign up with anyone's address.
        if identity.send_link(request, user) == identity.SendResult.SENT:
            messages.info(
                request,
                f"We have e-mailed a link to {user.email}: open it to confirm the address is yours.",
            )
        else:
            messages.warning(
                request,
                "We could not e-mail you a confirmation link: send it again from your account.",
            )
        return redirect(safe_next_url(request, default="accounts:profile"))
    return render(request, "accounts/sign_up.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    customer_profile, _ = CustomerProfile.objects.get_or_create(user=request.user)
    data = request.POST if request.method == "POST" else None
    name_form = NameForm(data, instance=request.user)
    profile_form = CustomerProfileForm(data, instance=customer_profile)
    if data is not None and name_form.is_valid() and profile_form.is_valid():
        with transaction.atomic():
            name_form.save()
            profile_form.save()
        messages.success(request, "Your details have been saved.")
        return redirect("accounts:profile")
    context = {
        "name_form": name_form,
        "profile_form": profile_form,
        "address_proven": identity.address_proven(request.user, request.user.email),
    }
    return render(request, "accounts/profile.html", context)


@login_required
def order_history(request: HttpRequest) -> HttpResponse:
    orders = Order.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/order_history.html", {"orders": orders})


@login_required
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    order = get_object_or_404(
        Order.objects.prefetch_related("lines"), reference=reference, user=request.user
    )
    return render(request, "accounts/order_detail.html", {"order": order})
