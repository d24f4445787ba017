"""Where uploaded files are stored: under a random name, never the one they came with.

A file's own name may say whose it is ("山田花子_診断書.jpg"), and a name someone can guess can be
fetched by guessing. The upload keeps only its extension, lower-cased, from a short list of the
image types the site takes.
"""

import secrets
from pathlib import PurePath

from django.utils import timezone
from django.utils.deconstruct import deconstructible

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


@deconstructible
class RandomName:
    """An `upload_to` for a FileField: `folder` (strftime codes allowed, e.g. "reports/%Y/%m/")
    and a random name with the upload's image extension."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()
        folder = timezone.localtime().strftime(self.folder)
        return f"{folder}{secrets.token_urlsafe(18)}{suffix if suffix in IMAGE_SUFFIXES else ''}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)
