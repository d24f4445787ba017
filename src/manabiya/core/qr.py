"""QR codes shown on pages (check-in, the passport), as inline SVG that prints and needs no JS."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(payload: str) -> SafeString:
    """An inline SVG QR code, big enough for a phone camera across a counter."""
    # segno writes the SVG itself from the payload's modules: no user text reaches the markup.
    return mark_safe(segno.make(payload, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff"))
