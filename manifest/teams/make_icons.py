"""Draw the Teams app icons: `python manifest/teams/make_icons.py` (needs Pillow, a dev extra).

Teams wants a 192×192 full-colour icon and a 32×32 outline icon that is white on a
transparent background. The motif is two linked rings: two parties in cooperation.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
ACCENT = (31, 78, 121, 255)  # the manifest's accentColor, #1F4E79
WHITE = (255, 255, 255, 255)
GOLD = (242, 185, 46, 255)


def _rings(
    draw: ImageDraw.ImageDraw, size: int, width: int, colours: tuple[tuple[int, ...], ...]
) -> None:
    radius = size * 0.24
    centre_y = size / 2
    for index, colour in enumerate(colours):
        centre_x = size / 2 + (index * 2 - 1) * radius * 0.62
        box = (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
        draw.ellipse(box, outline=colour, width=width)


def colour_icon() -> Image.Image:
    image = Image.new("RGBA", (192, 192), ACCENT)
    _rings(ImageDraw.Draw(image), 192, 12, (WHITE, GOLD))
    return image


def outline_icon() -> Image.Image:
    image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    _rings(ImageDraw.Draw(image), 32, 2, (WHITE, WHITE))
    return image


def main() -> None:
    colour_icon().save(HERE / "color.png", optimize=True)
    outline_icon().save(HERE / "outline.png", optimize=True)


if __name__ == "__main__":
    main()
