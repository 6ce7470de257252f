"""The forum: boards from the catalogue, threads and answers, votes, accepted answers, edit window, search,
unanswered view, moderation with its audit log, bans and rate limits; every change a POST with a permission check."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tinymlkit.platform.forum.models import Ban, Flag, ModerationAction, Post, Thread, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_board():
    from tinymlkit.platform.courses import content

    c = content.catalog().courses[0]
    return c, c.units[0]


def ask(client, user, course="", unit="", title="How big is the arena?", body="My model **fails** to load."):
    client.force_login(user)
    url = reverse("forum-new", args=[a for a in (course, unit) if a])
    response = client.post(url, {"title": title, "body": body})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Thread.objects.latest("pk")


def answer(client, user, thread, body="Use `tinyml profile`."):
    client.force_login(user)
    response = client.post(reverse("forum-reply", args=[thread.pk]), {"body": body})
    assert response.status_code == 302
    return Post.objects.filter(thread=thread).latest("pk")


def test_every_board_of_the_catalogue_has_a_page(client):
    from tinymlkit.platform.forum.rules import all_boards

    boards = all_boards()
    assert boards[0].course == "" and len(boards) > 5
    for b in boards:
        assert client.get(b.url).status_code == 200, b.url
    assert client.get(reverse("forum-board", args=["no-such-course"])).status_code == 404
    page = client.get(reverse("forum")).content.decode()
    assert "General" in page and boards[-1].title in page


def test_ask_answer_accept_on_a_unit_board(client, learner, other_learner, unit_board):
    c, u = unit_board
    thread = ask(client, learner, c.slug, u.slug)
    assert (thread.course, thread.unit, thread.author) == (c.slug, u.slug, learner)
    assert thread.posts.get().is_question
    # The unit page and its lessons link to the unit's board and show its thread count.
    unit_html = client.get(reverse("unit", args=[c.slug, u.slug])).content.decode()
    assert reverse("forum-board", args=[c.slug, u.slug]) in unit_html and "(1 thread)" in unit_html
    lesson_html = client.get(reverse("lesson", args=[c.slug, u.slug, u.lessons[0].slug])).content.decode()
    assert reverse("forum-board", args=[c.slug, u.slug]) in lesson_html
    assert thread.title in client.get(reverse("forum-board", args=[c.slug, u.slug])).content.decode()
    course_board = client.get(reverse("forum-board", args=[c.slug])).content.decode()  # a course shows its units'
    assert thread.title in course_board and f"{c.title} › {u.number}. {u.title}" in course_board
    assert "just now" in course_board
    other_unit = reverse("forum-board", args=[c.slug, c.units[1].slug])
    assert thread.title not in client.get(other_unit).content.decode()
    assert thread.title in client.get(reverse("forum-unanswered")).content.decode()

    reply = answer(client, other_learner, thread, "Try:\n\n```python\nprint('hi')\n```")
    html = client.get(reverse("forum-thread", args=[thread.pk])).content.decode()
    assert '<span class="nb">print</span>' in html  # highlighted code block
    assert thread.title not in client.get(reverse("forum-unanswered")).content.decode()

    # The answerer cannot accept their own answer for the asker; the asker can.
    assert client.post(reverse("forum-accept", args=[reply.pk])).status_code == 403
    client.force_login(learner)
    client.post(reverse("forum-accept", args=[reply.pk]))
    thread.refresh_from_db()
    assert thread.accepted == reply
    assert "accepted answer" in client.get(reverse("forum-thread", args=[thread.pk])).content.decode()
    client.post(reverse("forum-accept", args=[reply.pk]))  # a second press takes it back
    thread.refresh_from_db()
    assert thread.accepted is None


def test_staff_can_accept_on_anyones_thread(client, learner, other_learner, staff):
    thread = ask(client, learner)
    reply = answer(client, other_learner, thread)
    client.force_login(staff)
    client.post(reverse("forum-accept", args=[reply.pk]))
    thread.refresh_from_db()
    assert thread.accepted == reply


def test_markdown_is_sanitized(client, learner):
    thread = ask(
        client, learner, body='Hi <script>alert("x")</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))'
    )
    html = client.get(reverse("forum-thread", args=[thread.pk])).content.decode()
    body = html.split('class="post-body">')[1].split("</div>")[0]
    assert "<script" not in body and "<img" not in body and 'href="javascript' not in body
    assert "&lt;script&gt;" in body


def test_votes_toggle_and_cannot_be_on_own_post(client, learner, other_learner):
    thread = ask(client, learner)
    question = thread.posts.get()
    client.post(reverse("forum-vote", args=[question.pk]))  # the asker, on their own post
    question.refresh_from_db()
    assert question.votes == 0 and not Vote.objects.exists()
    client.force_login(other_learner)
    client.post(reverse("forum-vote", args=[question.pk]))
    question.refresh_from_db()
    assert question.votes == 1 and Vote.objects.filter(user=other_learner).count() == 1
    client.post(reverse("forum-vote", args=[question.pk]))
    question.refresh_from_db()
    assert question.votes == 0 and not Vote.objects.exists()
    assert client.get(reverse("forum-vote", args=[question.pk])).status_code == 405  # no change by GET


def test_edit_own_post_within_the_window_only(client, learner, other_learner, staff):
    thread = ask(client, learner)
    question = thread.posts.get()
    edit = reverse("forum-edit", args=[question.pk])
    client.force_login(other_learner)
    assert client.post(edit, {"title": "Hijacked title", "body": "mine now"}).status_code == 403
    client.force_login(learner)
    assert client.post(edit, {"title": "How big is the tensor arena?", "body": "Edited."}).status_code == 302
    thread.refresh_from_db()
    question.refresh_from_db()
    assert thread.title == "How big is the tensor arena?" and question.body == "Edited." and question.edited_at
    Post.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    assert client.post(edit, {"title": "Too late", "body": "Too late"}).status_code == 403
    client.force_login(staff)  # staff always, and it is logged
    assert client.post(edit, {"title": "Tidied by staff", "body": "Tidied."}).status_code == 302
    assert ModerationAction.objects.filter(action="edit", actor=staff, post=question).exists()


def test_learner_cannot_moderate(client, learner, other_learner):
    thread = ask(client, learner)
    reply = answer(client, other_learner, thread)
    client.force_login(learner)
    for url in (
        reverse("forum-hide-post", args=[reply.pk]),
        reverse("forum-lock", args=[thread.pk]),
        reverse("forum-hide-thread", args=[thread.pk]),
        reverse("forum-resolve", args=[reply.pk]),
        reverse("forum-ban", args=[other_learner.username]),
    ):
        assert client.post(url, {"reason": "x"}).status_code == 403, url
    assert client.get(reverse("forum-moderation")).status_code == 403
    thread.refresh_from_db()
    reply.refresh_from_db()
    assert not (thread.locked or thread.hidden or reply.hidden) and not Ban.objects.exists()
    assert not ModerationAction.objects.exists()


def test_flag_hide_lock_and_the_audit_log(client, learner, other_learner, staff):
    thread = ask(client, learner)
    reply = answer(client, other_learner, thread, "Buy my course at spam.example")
    client.force_login(learner)
    client.post(reverse("forum-flag", args=[reply.pk]), {"reason": "spam"})
    client.post(reverse("forum-flag", args=[reply.pk]), {"reason": "spam again"})
    assert Flag.objects.filter(post=reply).count() == 1
    client.force_login(staff)
    assert "spam.example" in client.get(reverse("forum-moderation")).content.decode()
    client.post(reverse("forum-hide-post", args=[reply.pk]), {"reason": "advertising"})
    reply.refresh_from_db()
    assert reply.hidden and Flag.objects.get(post=reply).resolved_by == staff
    client.post(reverse("forum-lock", args=[thread.pk]))
    # Learners no longer see the hidden post's text, and cannot reply to the locked thread.
    client.force_login(learner)
    html = client.get(reverse("forum-thread", args=[thread.pk])).content.decode()
    assert "spam.example" not in html and "hidden by a moderator" in html
    client.post(reverse("forum-reply", args=[thread.pk]), {"body": "one more"})
    assert thread.posts.count() == 2
    client.force_login(staff)
    client.post(reverse("forum-hide-thread", args=[thread.pk]))
    client.force_login(learner)
    assert client.get(reverse("forum-thread", args=[thread.pk])).status_code == 404
    assert thread.title not in client.get(reverse("forum")).content.decode()
    actions = list(ModerationAction.objects.order_by("pk").values_list("action", "actor__username", "note"))
    assert actions == [("hide_post", "teach", "advertising"), ("lock", "teach", ""), ("hide_thread", "teach", "")]
    client.force_login(staff)
    log = client.get(reverse("forum-moderation")).content.decode().split('id="audit-log"')[1]
    assert "Hid a post" in log and "Locked a thread" in log and "advertising" in log


def test_banned_user_cannot_post(client, learner, other_learner, staff):
    thread = ask(client, learner)
    client.force_login(staff)
    client.post(reverse("forum-ban", args=[other_learner.username]), {"reason": "insults"})
    assert Ban.objects.get(user=other_learner).reason == "insults"
    client.force_login(other_learner)
    client.post(reverse("forum-reply", args=[thread.pk]), {"body": "let me in"})
    response = client.post(reverse("forum-new", args=[]), {"title": "A new question", "body": "let me in"})
    assert response.status_code == 400 and "banned" in response.content.decode()
    assert not Post.objects.filter(author=other_learner).exists()
    client.force_login(staff)
    client.post(reverse("forum-ban-by-name"), {"username": other_learner.username, "reason": "apologised"})
    assert not Ban.objects.exists()
    assert answer(client, other_learner, thread).author == other_learner
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == ["ban", "unban"]


def test_rate_limit_per_user(client, learner, other_learner, settings):
    settings.COMMUNITY_RATE_LIMITS = {**settings.COMMUNITY_RATE_LIMITS, "forum": (3, 300)}
    thread = ask(client, learner)
    answer(client, learner, thread, "one")
    answer(client, learner, thread, "two")
    client.post(reverse("forum-reply", args=[thread.pk]), {"body": "three"}, follow=False)
    assert thread.posts.filter(author=learner).count() == 3
    page = client.get(reverse("forum-thread", args=[thread.pk])).content.decode()
    assert "posting too fast" in page
    answer(client, other_learner, thread, "another user is not held back")
    Post.objects.filter(author=learner).update(created_at=timezone.now() - timedelta(minutes=6))
    answer(client, learner, thread, "later it works again")
    assert thread.posts.filter(author=learner).count() == 4


def test_search_finds_titles_and_bodies_and_skips_hidden(client, learner, other_learner, staff):
    one = ask(client, learner, title="Quantization error on ESP32", body="int8 conversion fails")
    two = ask(client, learner, title="Microphone gain", body="too quiet")
    answer(client, other_learner, two, "Check the PDM quantization step")
    found = client.get(reverse("forum-search"), {"q": "quantization"}).content.decode()
    assert one.title in found and two.title in found and "2 threads" in found
    found = client.get(reverse("forum-search"), {"q": "quantization esp32"}).content.decode()
    assert one.title in found and two.title not in found
    client.force_login(staff)
    client.post(reverse("forum-hide-thread", args=[one.pk]))
    client.logout()
    assert one.title not in client.get(reverse("forum-search"), {"q": "quantization"}).content.decode()


def test_posting_needs_login_and_csrf(client, learner):
    from django.test import Client

    response = client.post(reverse("forum-new", args=[]), {"title": "Anonymous question", "body": "hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post(reverse("forum-new", args=[]), {"title": "No token here", "body": "hi"}).status_code == 403
    assert not Thread.objects.exists()


def test_bad_input_gives_form_errors(client, learner):
    client.force_login(learner)
    response = client.post(reverse("forum-new", args=[]), {"title": "Hi", "body": "   "})
    assert response.status_code == 400
    text = response.content.decode()
    assert "at least 5 characters" in text and "This field is required" in text
    assert not Thread.objects.exists()
