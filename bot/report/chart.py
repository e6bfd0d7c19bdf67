"""The representation chart, drawn with matplotlib (Agg, no display) as PNG or SVG.

Each party has its own hatching as well as its own colour, each bar carries its figure as text
("5 av 6") and the legend names the parties, so nothing is told by colour alone. matplotlib is
imported when a chart is drawn: serving the bot never needs it (see the start-up imports test).

Speed (issue 17): most of a chart's time is Agg drawing its text, so glyphs are drawn without
hinting (no visible loss at this size, a third less time), the raster is taken straight from
the canvas instead of through a PNG written and read back, and finished charts are kept in a
small cache keyed by the bars and words themselves: the chat answer and the PDF printed beside
it share one drawing, and a repeated ask is free. A cache keyed by the numbers cannot be
stale: other numbers are another key.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, TypeVar, cast

from cachetools import LRUCache

from bot.report.chart_data import Bar

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from PIL.Image import Image

# Colour-blind safe (Okabe–Ito), dark enough for 3:1 against white; hatching tells them apart too.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9")
HATCHES = ("//", "..", "xx", "\\\\", "--")
BAR_HEIGHT = 0.38
DPI = 100
WIDTH = 8.0
INCH_PER_BAR = 0.24
INK = "#1a1a1a"
PALETTE = 32
CACHED = 32  # finished charts kept: a PNG is ~30 kB, an SVG ~100 kB

_Key = tuple[str, tuple[Bar, ...], "Words"]
_T = TypeVar("_T")
_charts: LRUCache[_Key, object] = LRUCache(maxsize=CACHED)
_lock = threading.Lock()  # cachetools caches are not thread-safe; charts are drawn in threads


@dataclass(frozen=True)
class Words:
    """The chart's words in the reader's language."""

    title: str
    axis: str
    value: str  # "{represented} av {held}"
    empty: str


@cache
def _matplotlib() -> None:
    """Import and configure matplotlib once per process, on the first chart."""
    import matplotlib

    matplotlib.use("Agg")
    # Set once: unhinted glyphs cost the least to lay out and draw, and SVG text stays text
    # (it scales and can be searched); the salt keeps SVG ids the same from run to run.
    matplotlib.rcParams.update(
        {
            "text.hinting": "no_hinting",
            "path.simplify": True,
            "svg.fonttype": "none",
            "svg.hashsalt": "samverkan",
        }
    )


def draw(bars: Sequence[Bar], words: Words) -> Figure:
    """A horizontal bar per forum and party: the rate as its length, the count as its label."""
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.transforms import offset_copy

    groups = list(dict.fromkeys(bar.group for bar in bars))
    parties = list(dict.fromkeys(bar.party for bar in bars))
    height = max(2.4, 1.7 + INCH_PER_BAR * len(groups) * max(1, len(parties)))
    figure = Figure(figsize=(WIDTH, height), dpi=DPI)
    axes = figure.add_subplot()
    axes.set_title(words.title, color=INK, loc="left", fontsize=12)
    if not bars:
        axes.text(0.5, 0.5, words.empty, ha="center", va="center", color=INK)
        axes.set_axis_off()
        return figure
    beside = offset_copy(axes.transData, figure, x=3, units="points")
    for index, party in enumerate(parties):
        offset = (index - (len(parties) - 1) / 2) * BAR_HEIGHT
        mine = [bar for bar in bars if bar.party == party]
        positions = [groups.index(bar.group) + offset for bar in mine]
        axes.barh(
            positions,
            [bar.rate for bar in mine],
            height=BAR_HEIGHT,
            color=COLOURS[index % len(COLOURS)],
            hatch=HATCHES[index % len(HATCHES)],
            edgecolor="white",
            linewidth=0,
            label=party,
        )
        # Plain text 3 points past the bar's end, where bar_label would put it: an Annotation
        # per bar costs a third more to lay out and draw, for the same pixels.
        for bar, position in zip(mine, positions, strict=True):
            axes.text(
                bar.rate,
                position,
                f"{words.value.format(represented=bar.represented, held=bar.held)} ({bar.rate} %)",
                transform=beside,
                ha="left",
                va="center",
                color=INK,
                fontsize=8,
            )
    axes.set_yticks(range(len(groups)), labels=groups, color=INK)
    axes.invert_yaxis()
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel(words.axis, color=INK)
    axes.spines[["top", "right"]].set_visible(False)
    # Below the axis: never over a bar, its label or the title.
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.9 / height),
        ncols=len(parties),
        frameon=False,
        fontsize=9,
    )
    # Fixed margins instead of tight_layout, which draws the whole figure once more to measure.
    longest = max(len(group) for group in groups)
    figure.subplots_adjust(
        left=min(0.45, 0.04 + 0.0125 * longest),
        right=0.97,
        top=1 - 0.45 / height,
        bottom=1.15 / height,
    )
    return figure


def _cached(kind: str, bars: Sequence[Bar], words: Words, make: Callable[[], _T]) -> _T:
    """The finished chart for exactly these bars and words, made once. Two threads asking at
    once may both draw it; they draw the same thing, so that costs time, never correctness."""
    key = (kind, tuple(bars), words)
    with _lock:
        found = _charts.get(key)
    if found is None:
        found = make()
        with _lock:
            _charts[key] = found
    return cast(_T, found)


def clear_cache() -> None:
    """Forget every finished chart (the benchmark measures a first, cold drawing with it)."""
    with _lock:
        _charts.clear()


def _raster(bars: Sequence[Bar], words: Words) -> Image:
    """The chart drawn by Agg, as an RGB image read straight from the canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image as PilImage  # matplotlib's own dependency

    canvas = FigureCanvasAgg(draw(bars, words))
    canvas.draw()  # type: ignore[no-untyped-call]
    size = canvas.get_width_height()
    pixels = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
    rgba = PilImage.frombuffer("RGBA", size, pixels, "raw", "RGBA", 0, 1)
    return rgba.convert("RGB")


def png(bars: Sequence[Bar], words: Words) -> bytes:
    """A palette PNG: a few flat colours need no 24-bit pixels, and a third of the bytes lets a
    small chart travel inside a Teams card."""

    def make() -> bytes:
        from PIL import Image as PilImage

        image = _raster(bars, words).quantize(colors=PALETTE, method=PilImage.Quantize.FASTOCTREE)
        packed = io.BytesIO()
        # zlib's default level: `optimize` (level 9) takes eight times as long for 10 % fewer bytes.
        image.save(packed, format="PNG", compress_level=6)
        return packed.getvalue()

    return _cached("png", bars, words, make)


def svg(bars: Sequence[Bar], words: Words) -> str:
    """SVG with its text kept as text, so it scales and can be searched."""

    def make() -> str:
        buffer = io.StringIO()
        draw(bars, words).savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    return _cached("svg", bars, words, make)
