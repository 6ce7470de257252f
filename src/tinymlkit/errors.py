"""The one error type users see."""


class TinyMLError(Exception):
    """A problem the user can fix.

    The message is one line that says what is wrong and what to do about it. The CLI prints it without a
    traceback and exits with status 1.
    """
