from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tinymlkit.platform.accounts.forms import SignUpForm
from tinymlkit.platform.accounts.models import ApiToken


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Pick a course to start.")
        return redirect("catalogue")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token(request: HttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        new_token = ApiToken.issue(request.user)
    existing = ApiToken.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/token.html",
        {"new_token": new_token, "existing": existing, "site": request.build_absolute_uri("/").rstrip("/")},
    )
