from django.urls import path

from tinymlkit.platform.chat import views

urlpatterns = [
    path("", views.index, name="chat"),
    path("<slug:room>/", views.room_page, name="chat-room"),
]
