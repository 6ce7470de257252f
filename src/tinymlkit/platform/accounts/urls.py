from django.urls import include, path

from tinymlkit.platform.accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("token/", views.token, name="token"),
    path("", include("django.contrib.auth.urls")),
]
