"""Every word and number on the chart, stamped with Pillow from a per-thread sprite cache.

Matplotlib's text costs ~1 ms per label (glyph by glyph in Python); a cached Pillow mask of
the same DejaVu Sans font (shipped with Matplotlib) is pasted in microseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import matplotlib
from PIL import Image, ImageDraw, ImageFont

_FONT_DIR = Path(matplotlib.get_data_path(), "fonts", "ttf")
# name -> (file, size in px). DejaVu Sans ships with Matplotlib, so it is always there.
_FONTS: dict[str, tuple[str, int]] = {
    "title": ("DejaVuSans-Bold.ttf", 22),
    "panel": ("DejaVuSans-Bold.ttf", 17),
    "tick": ("DejaVuSans.ttf", 16),
    "legend": ("DejaVuSans.ttf", 16),
    "value": ("DejaVuSans-Bold.ttf", 17),
    "unknown": ("DejaVuSans.ttf", 14),
    "empty": ("DejaVuSans.ttf", 18),
}


def _clip(line: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """Shorten one line to `width` px, marking the cut with …."""
    if face.getlength(line) <= width:
        return line
    while line and face.getlength(line + "…") > width:
        line = line[:-1]
    return line.rstrip() + "…"


def rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


class Stamper:
    """Pillow text with a cache of rendered strings; one per thread (FreeType faces aren't)."""

    _MAX_CACHED = 4096

    def __init__(self) -> None:
        self.fonts = {
            name: ImageFont.truetype(
                str(_FONT_DIR / file), size, layout_engine=ImageFont.Layout.BASIC
            )
            for name, (file, size) in _FONTS.items()
        }
        self.metrics = {name: font.getmetrics() for name, font in self.fonts.items()}
        self.sprites: dict[tuple[str, str], Image.Image] = {}
        self.fitted: dict[tuple[str, str, int, int], tuple[str, ...]] = {}

    def width(self, text: str, font: str) -> int:
        return self.sprite(text, font).width

    def sprite(self, text: str, font: str) -> Image.Image:
        """Grey-level mask of one line of text, full line height so baselines agree."""
        key = (text, font)
        mask = self.sprites.get(key)
        if mask is None:
            if len(self.sprites) >= self._MAX_CACHED:
                self.sprites.clear()
            face = self.fonts[font]
            ascent, descent = self.metrics[font]
            mask = Image.new("L", (max(math.ceil(face.getlength(text)), 1), ascent + descent))
            ImageDraw.Draw(mask).text((0, ascent), text, font=face, fill=255, anchor="ls")
            self.sprites[key] = mask
        return mask

    def fit(self, text: str, font: str, width: int, max_lines: int) -> tuple[str, ...]:
        """Word-wrap to `width` px in at most `max_lines` lines; cut with … rather than overflow."""
        key = (text, font, width, max_lines)
        lines = self.fitted.get(key)
        if lines is not None:
            return lines
        face = self.fonts[font]
        out: list[str] = []
        words = text.split()
        while words and len(out) < max_lines:
            line = words.pop(0)
            while words and face.getlength(f"{line} {words[0]}") <= width:
                line = f"{line} {words.pop(0)}"
            out.append(line)
        if words:  # more text than room: the last line will end with …
            out[-1] = f"{out[-1]} {' '.join(words)}"
        lines = tuple(_clip(line, face, width) for line in out) or ("",)
        if len(self.fitted) >= self._MAX_CACHED:
            self.fitted.clear()
        self.fitted[key] = lines
        return lines

    def stamp(
        self,
        image: Image.Image,
        lines: Sequence[str],
        font: str,
        color: str,
        x: float,
        y: float,
        *,
        ha: Literal["left", "center", "right"] = "left",
        va: Literal["top", "center", "bottom"] = "top",
    ) -> None:
        """Paint lines anchored at (x, y): ha left/center/right; va top/center/bottom."""
        ascent, descent = self.metrics[font]
        line_height = ascent + descent + 2
        block = line_height * len(lines) - 2
        top = y if va == "top" else y - block / 2 if va == "center" else y - block
        fill = rgb(color)
        for i, line in enumerate(lines):
            if not line:
                continue
            mask = self.sprite(line, font)
            left = x if ha == "left" else x - mask.width / 2 if ha == "center" else x - mask.width
            box_left, box_top = round(left), round(top + i * line_height)
            image.paste(
                fill, (box_left, box_top, box_left + mask.width, box_top + mask.height), mask
            )
