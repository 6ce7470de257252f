from django.urls import path

from tinymlkit.platform.forum import views

urlpatterns = [
    path("", views.index, name="forum"),
    path("general/", views.board_page, name="forum-board"),
    path("general/new/", views.new_thread, name="forum-new"),
    path("c/<slug:course>/", views.board_page, name="forum-board"),
    path("c/<slug:course>/new/", views.new_thread, name="forum-new"),
    path("c/<slug:course>/<slug:unit>/", views.board_page, name="forum-board"),
    path("c/<slug:course>/<slug:unit>/new/", views.new_thread, name="forum-new"),
    path("search/", views.search, name="forum-search"),
    path("unanswered/", views.unanswered, name="forum-unanswered"),
    path("moderation/", views.moderation, name="forum-moderation"),
    path("t/<int:pk>/", views.thread_page, name="forum-thread"),
    path("t/<int:pk>/reply/", views.reply, name="forum-reply"),
    path("t/<int:pk>/lock/", views.lock, name="forum-lock"),
    path("t/<int:pk>/hide/", views.hide_thread, name="forum-hide-thread"),
    path("p/<int:pk>/edit/", views.edit, name="forum-edit"),
    path("p/<int:pk>/vote/", views.vote, name="forum-vote"),
    path("p/<int:pk>/accept/", views.accept, name="forum-accept"),
    path("p/<int:pk>/flag/", views.flag, name="forum-flag"),
    path("p/<int:pk>/hide/", views.hide_post, name="forum-hide-post"),
    path("p/<int:pk>/resolve/", views.resolve_flags, name="forum-resolve"),
    path("u/ban/", views.ban, name="forum-ban-by-name"),
    path("u/<str:username>/ban/", views.ban, name="forum-ban"),
]
