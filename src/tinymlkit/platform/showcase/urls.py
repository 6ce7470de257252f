from django.urls import path

from tinymlkit.platform.showcase import views

urlpatterns = [
    path("", views.index, name="showcase"),
    path("new/", views.edit, name="showcase-new"),
    path("<int:pk>/", views.project_page, name="showcase-project"),
    path("<int:pk>/edit/", views.edit, name="showcase-edit"),
    path("<int:pk>/status/", views.status, name="showcase-status"),
    path("<int:pk>/hide/", views.hide, name="showcase-hide"),
]
