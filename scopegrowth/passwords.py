"""Password rules beyond Django's own: long passphrases welcome, absurd lengths refused."""

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """At most 128 characters: long passphrases are fine, megabyte 'passwords' are not."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long. It must contain at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."
