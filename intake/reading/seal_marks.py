"""What a page image shows of a red seal (con dấu): a roughly circular ring of saturated red, found by shape,
never by text. Pure pixel work on a decoded image, done where a page image is at hand (the OCR worker that
decoded it, or the judge for a page it renders); which pages must carry a seal is judging's business."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..models import SealMark

if TYPE_CHECKING:
    import numpy as np

GRAY_MODES = frozenset({"1", "L", "LA", "I", "I;16", "F"})
"""PIL modes without colour: such a page cannot show a red seal, nothing to look at."""

DETECTOR = "ring-1"
"""Version of the detector: a cached mark made by another version is looked at again."""

@dataclass(frozen=True)
class RedSettings:
    """What counts as seal-red ink and as a seal's shape (technical constants, not rules)."""

    max_hue_distance: float = 22.0
    """Hue (degrees) at most this far from pure red."""
    min_saturation: float = 0.35
    """HSV saturation (0-1) from which a pixel is ink rather than tinted paper or a warm photo."""
    min_value: float = 0.30
    """HSV value (0-1): darker pixels are black ink or shadow, whatever their hue."""
    min_red_excess: int = 45
    """R minus max(G, B) (0-255): red must dominate, not just lean."""
    min_diameter_mm: float = 16.0
    """Smallest seal (personal and small seals are ~20 mm; a company's round seal 30-42 mm)."""
    max_diameter_mm: float = 65.0
    """Largest seal."""
    max_aspect: float = 1.35
    """Width/height (either way) of a seal's box: a round seal photographed at an angle stays under this."""
    min_ring_coverage: float = 0.72
    """Share of directions from the centre in which the ring is inked, with nothing red just outside it."""
    max_inner_fill: float = 0.45
    """Share of the inner disc (half the radius) that may be inked: a filled logo is not a seal."""
    min_ring_density: float = 0.08
    """Share of the outer band (0.8-1.05 of the radius) that must be inked."""


DEFAULT = RedSettings()


def red_mask(rgb: np.ndarray, settings: RedSettings = DEFAULT) -> np.ndarray:
    """Pixels of saturated red ink in an RGB array (height × width × 3, uint8)."""
    import numpy as np

    r, g, b = (rgb[..., channel].astype(np.int16) for channel in range(3))
    high, low = _high_low(rgb)
    high = high.astype(np.int16)
    spread = (high - low).astype(np.float32)
    saturation = np.where(high > 0, spread / np.maximum(high, 1), 0.0)
    value = high / 255.0
    # hue distance from red: for a red-dominant pixel the hue is 60° × (G − B) / spread
    hue = np.where(spread > 0, 60.0 * (g - b) / np.maximum(spread, 1), 180.0)
    return ((r == high) & (np.abs(hue) <= settings.max_hue_distance) & (saturation >= settings.min_saturation)
            & (value >= settings.min_value) & (r - np.maximum(g, b) >= settings.min_red_excess))


def _high_low(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's highest and lowest channel (uint8), channel by channel: numpy reduces an axis of 3 slowly."""
    import numpy as np

    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)


def has_colour(rgb: np.ndarray) -> bool:
    """Whether a page image carries colour at all (a grayscale scan cannot show a red seal)."""
    import numpy as np

    high, low = _high_low(rgb)
    spread = high - low  # uint8: high ≥ low, never wraps
    return bool(np.count_nonzero(spread >= 40) >= 0.0001 * spread.size)  # ~50 pixels of a 75-dpi page


def _dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    """Binary dilation by a square of side 2·radius+1 (joins the glyphs and breaks of one seal)."""
    out = mask.copy()
    for _ in range(radius):
        grown = out.copy()
        grown[1:, :] |= out[:-1, :]
        grown[:-1, :] |= out[1:, :]
        grown[:, 1:] |= out[:, :-1]
        grown[:, :-1] |= out[:, 1:]
        out = grown
    return out


def _components(mask: np.ndarray, min_cells: int) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (y0, x0, y1, x1; exclusive ends) of the 8-connected components with at least
    `min_cells` cells."""
    import numpy as np

    height, width = mask.shape
    seen = np.zeros_like(mask)
    boxes = []
    for y, x in zip(*np.nonzero(mask)):
        if seen[y, x]:
            continue
        seen[y, x] = True
        queue = deque([(int(y), int(x))])
        y0, x0, y1, x1, cells = y, x, y, x, 0
        while queue:
            cy, cx = queue.popleft()
            cells += 1
            y0, x0, y1, x1 = min(y0, cy), min(x0, cx), max(y1, cy), max(x1, cx)
            for ny in (cy - 1, cy, cy + 1):
                if ny < 0 or ny >= height:
                    continue
                for nx in (cx - 1, cx, cx + 1):
                    if 0 <= nx < width and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        queue.append((ny, nx))
        if cells >= min_cells:
            boxes.append((int(y0), int(x0), int(y1) + 1, int(x1) + 1))
    return boxes


def ring_score(mask: np.ndarray, box: tuple[int, int, int, int], px_per_mm: float,
               settings: RedSettings = DEFAULT) -> float:
    """How much the red inside `box` looks like a seal (0: not at all; ≥ 1 passes every check)."""
    import numpy as np

    y0, x0, y1, x1 = box
    h, w = y1 - y0, x1 - x0
    diameter = (h + w) / 2 / px_per_mm
    if not settings.min_diameter_mm <= diameter <= settings.max_diameter_mm:
        return 0.0
    if max(h, w) / max(min(h, w), 1) > settings.max_aspect:
        return 0.0
    cy, cx = (y0 + y1 - 1) / 2, (x0 + x1 - 1) / 2
    radius = (h + w) / 4
    pad = int(radius * 0.5) + 2
    top, left = max(0, y0 - pad), max(0, x0 - pad)
    patch = mask[top : y1 + pad, left : x1 + pad]
    yy, xx = np.mgrid[top : top + patch.shape[0], left : left + patch.shape[1]]
    dist = np.hypot(yy - cy, xx - cx) / radius
    angle = ((np.degrees(np.arctan2(yy - cy, xx - cx)) + 360) % 360 // 10).astype(int)
    sectors = 36
    ring_band = (dist >= 0.8) & (dist <= 1.08)
    outside = (dist >= 1.15) & (dist <= 1.45)
    inked = np.bincount(angle[ring_band & patch], minlength=sectors)[:sectors] > 0
    spill = np.bincount(angle[outside & patch], minlength=sectors)[:sectors]
    spill_area = np.bincount(angle[outside], minlength=sectors)[:sectors]
    clean = spill <= 0.04 * np.maximum(spill_area, 1)
    coverage = float((inked & clean).mean())
    inner = dist <= 0.5
    inner_fill = float(patch[inner].mean()) if inner.any() else 1.0
    band = (dist >= 0.8) & (dist <= 1.05)
    density = float(patch[band].mean()) if band.any() else 0.0
    if inner_fill > settings.max_inner_fill or density < settings.min_ring_density:
        return 0.0
    return round(coverage / settings.min_ring_coverage, 3)


def find_seal(image: Any, *, page_mm: float = 297.0, settings: RedSettings = DEFAULT) -> SealMark:
    """Whether a page image (PIL, any mode; the whole page, its long side `page_mm` long) shows a red seal,
    and where (box as fractions of the page width and height)."""
    if image.mode in GRAY_MODES:
        return SealMark(found=False, colour=False)  # same answer as the pixels' check, without converting them
    import numpy as np  # loaded with the first page in colour: an OCR worker reading gray scans never needs it

    rgb_image = image.convert("RGB")
    scale = 877 / max(rgb_image.size)  # ~75 dpi for an A4 page: enough for a seal's shape, cheap to scan
    if scale < 1:
        from PIL import Image

        rgb_image = rgb_image.resize((max(1, round(rgb_image.size[0] * scale)), max(1, round(rgb_image.size[1] * scale))),
                                     Image.Resampling.BOX)
    rgb = np.asarray(rgb_image, dtype=np.uint8)
    if not has_colour(rgb):
        return SealMark(found=False, colour=False)
    px_per_mm = max(rgb.shape[:2]) / page_mm
    mask = red_mask(rgb, settings)
    if mask.mean() > 0.25:
        return SealMark(found=False, colour=True)  # a red photo or a red desk, not a page with a seal on it
    joined = _dilate(mask, max(1, round(px_per_mm * 0.8)))
    min_cells = int((settings.min_diameter_mm * px_per_mm) ** 2 * 0.1)
    best: tuple[float, tuple[int, int, int, int]] | None = None
    for box in _components(joined, min_cells):
        score = ring_score(mask, box, px_per_mm, settings)
        if score >= 1.0 and (best is None or score > best[0]):
            best = (score, box)
    if best is None:
        return SealMark(found=False, colour=True)
    score, (y0, x0, y1, x1) = best
    height, width = rgb.shape[:2]
    return SealMark(found=True, colour=True, box=(round(x0 / width, 3), round(y0 / height, 3),
                                                  round(x1 / width, 3), round(y1 / height, 3)), score=score)
