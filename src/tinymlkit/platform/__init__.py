"""The course platform: one Django project that serves the course to a class, a school or a community group.

Apps by concern: ``accounts`` (sign up, roles, personal API tokens), ``courses`` (catalogue, lessons, labs,
quizzes, progress, certificates) and ``grading`` (submissions graded in the background worker by
:func:`tinymlkit.course.grade`, instructor view). Configuration comes from :mod:`tinymlkit.platform.config`.
"""
