"""The JSON-LD context documents that Manabiya's credentials name, bundled with the code.

Nothing here, or anywhere in credential verification, fetches a context over the network: a
credential whose ``@context`` names a document that is not bundled is refused instead. Where each
file came from is written down in ``data/CONTEXTS.md``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_V3P0_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"

# Context URL -> file name in this package's data/ folder.
BUNDLED: dict[str, str] = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3P0: "ob-v3p0-context-3.0.3.json",
    OB_V3P0_EXTENSIONS: "ob-v3p0-extensions.json",
}


@cache
def _read(filename: str) -> str:
    return resources.files("manabiya.passport").joinpath("data", filename).read_text(encoding="utf-8")


def load(url: str) -> dict[str, Any]:
    """Return the bundled context document for ``url`` as a new dict (safe to modify).

    Raises ``KeyError`` for a URL that is not bundled; never fetches anything.
    """
    return json.loads(_read(BUNDLED[url]))


def is_bundled(url: object) -> bool:
    """Tell whether ``url`` names a context document bundled here."""
    return isinstance(url, str) and url in BUNDLED
