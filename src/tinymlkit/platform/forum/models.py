"""The forum: threads on a board (general, a course or one unit), their posts, votes, flags, bans and the
moderation log. A board is not a table: it is a place in the course catalogue, named by ``course`` and ``unit``
slugs (both empty: the general board).
"""

from django.conf import settings
from django.db import models


class Thread(models.Model):
    course = models.SlugField(max_length=80, blank=True)
    unit = models.SlugField(max_length=80, blank=True)
    title = models.CharField(max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_threads")
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity = models.DateTimeField(auto_now_add=True)
    locked = models.BooleanField(default=False, help_text="No new replies or edits (staff excepted)")
    hidden = models.BooleanField(default=False, help_text="Hidden by a moderator: only staff see it")
    accepted = models.ForeignKey("Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["course", "unit", "-last_activity"]), models.Index(fields=["-last_activity"])]
        ordering = ["-last_activity"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_posts")
    body = models.TextField()
    is_question = models.BooleanField(default=False, help_text="The thread's opening post")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    votes = models.PositiveIntegerField(default=0, help_text="Upvotes (kept in step with the Vote rows)")

    class Meta:
        indexes = [models.Index(fields=["author", "created_at"])]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"post #{self.pk} in thread #{self.thread_id} by {self.author}"


class Vote(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="vote_set")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_vote_per_post")]


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_flags")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_flag_per_post")]
        ordering = ["-created_at"]


class Ban(models.Model):
    """A user who may not post (forum, chat, showcase) until a moderator lifts it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_ban")
    reason = models.CharField(max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class ModerationAction(models.Model):
    """The audit log: every moderator action, who took it, on what, and why."""

    class Kind(models.TextChoices):
        HIDE_POST = "hide_post", "Hid a post"
        SHOW_POST = "show_post", "Restored a post"
        HIDE_THREAD = "hide_thread", "Hid a thread"
        SHOW_THREAD = "show_thread", "Restored a thread"
        LOCK = "lock", "Locked a thread"
        UNLOCK = "unlock", "Unlocked a thread"
        BAN = "ban", "Banned a user"
        UNBAN = "unban", "Lifted a ban"
        RESOLVE_FLAG = "resolve_flags", "Resolved flags"
        EDIT = "edit", "Edited another user's post"
        DELETE_CHAT = "delete_chat", "Deleted a chat message"
        HIDE_PROJECT = "hide_project", "Hid a showcase project"
        SHOW_PROJECT = "show_project", "Restored a showcase project"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Kind.choices)
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()} {self.note}"
