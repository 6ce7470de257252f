from django.urls import path

from tinymlkit.platform.competition import views

urlpatterns = [
    path("", views.challenge_list, name="compete"),
    path("entries/<int:pk>/", views.entry_page, name="compete-entry"),
    path("entries/<int:pk>/status/", views.entry_status, name="compete-entry-status"),
    path("entries/<int:pk>/retry/", views.retry, name="compete-entry-retry"),
    path("<slug:name>/", views.challenge_page, name="compete-challenge"),
    path("<slug:name>/submit/", views.submit, name="compete-submit"),
]
