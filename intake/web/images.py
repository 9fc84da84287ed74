"""Page images for the desk's viewer: rendered on demand from the archive copy (the same renderer the seal check
uses: poppler for PDFs in a child process with a time limit, Pillow for images and pictures in Word files) and
cached as PNG under `<data>/desk-cache/`; never reads a path that came from a request."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..reading import Limits, page_image
from ..receiving import archive_path

log = logging.getLogger(__name__)

VIEW_DPI = 110
"""Enough to read an A4 page on screen (about 900 px wide), small enough to render in a fraction of a second."""
MAX_WIDTH = 1400
"""Photographs of pages come much larger than needed: scaled down to this width."""

_render_slots = threading.BoundedSemaphore(1)
"""One page rendered at a time by the desk, so officers browsing never take the watcher's cores."""


def cache_path(data: Path, sha256: str, page: int) -> Path:
    """Where the rendered page of these bytes is kept (named by hash and number only)."""
    return data / "desk-cache" / sha256[:2] / f"{sha256}-{page}-{VIEW_DPI}.png"


def page_png(data: Path, sha256: str, page: int, *, limits: Limits = Limits(),
             render: Callable[..., Any] = page_image) -> bytes | None:
    """The PNG of page `page` of the archived bytes `sha256`, from the cache or rendered now; None when the page
    has no picture (text of a Word file) or cannot be rendered (then nothing is cached: it is tried again)."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256")
    cached = cache_path(data, sha256, page)
    if cached.is_file():
        return cached.read_bytes()
    with _render_slots:
        if cached.is_file():
            return cached.read_bytes()
        try:
            image = render(archive_path(data / "archive", sha256), page, dpi=VIEW_DPI, limits=limits)
        except Exception as exc:  # noqa: BLE001 - a hostile or broken file must not break the desk
            log.warning("page image of sha256=%s page=%d could not be rendered: %s", sha256[:12], page,
                        type(exc).__name__)
            return None
        if image is None:
            return None
        if image.width > MAX_WIDTH:
            image = image.resize((MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False)
        content = buffer.getvalue()
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{threading.get_ident()}.tmp")
        tmp.write_bytes(content)
        tmp.replace(cached)
        return content
