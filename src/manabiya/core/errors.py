class RuleViolation(Exception):
    """A business rule refused the request; `message` is translated and shown to the user.

    `field` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class PermissionDenied(Exception):
    """The actor may not do this to this record; the middleware answers 403 with `message`.

    Not a RuleViolation, so a view's `except RuleViolation` (a form error) never swallows it.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
