"""Geometry of the statistics charts, drawn as SVG by templates (no JavaScript needed).

The functions turn counts into rectangles, ticks and legend entries in a fixed
coordinate system (the SVG's viewBox); the templates only print them. Every chart
has a data table beside it, so the SVG is a picture of numbers also given as text.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

# Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphics).
PALETTE = ["#1f4e99", "#b3261e", "#2e7d32", "#6a1b9a", "#a14f00", "#00695c", "#4e342e", "#ad1457", "#37474f", "#5c6b00"]
# From quick to late answers (answer-time classes).
SEQUENTIAL = ["#1b5e20", "#43883f", "#7a7a00", "#a35c00", "#c0392b", "#7b1020"]


# Parties in their customary colours, each dark enough for 3:1 against white or drawn with
# a dark outline (FDP's yellow). Keys are folded party or faction short names.
PARTY_COLOURS = {
    "cdu": "#1a1a1a", "csu": "#1a1a1a", "cdu/csu": "#1a1a1a",
    "spd": "#c8102e",
    "grune": "#2e7d32", "grüne": "#2e7d32", "die grünen": "#2e7d32", "bündnis 90/die grünen": "#2e7d32", "b90/grüne": "#2e7d32",
    "fdp": "#f2c500", "fdp/dvp": "#f2c500",
    "afd": "#0a6eb4",
    "die linke": "#b0186e", "linke": "#b0186e", "die linke.": "#b0186e", "pds": "#b0186e",
    "bsw": "#6b2c5f",
    "fw": "#c25a00", "freie wähler": "#c25a00", "fw/bvb": "#c25a00",
    "ssw": "#1f3f8f",
}
# Fills too light for 3:1 against white get this outline (WCAG 1.4.11).
LIGHT_FILLS = {"#f2c500": "#6b5500"}
# The second cue besides colour (WCAG 1.4.1): each series of a chart has its own pattern.
PATTERNS = ["", "diagonal", "dots", "cross", "horizontal", "vertical", "diagonal-back", "grid"]


def party_colour(*names: str | None) -> str | None:
    """The customary colour of the first of ``names`` (party, then faction short name) known."""
    for name in names:
        if name:
            colour = PARTY_COLOURS.get(" ".join(name.casefold().split()))
            if colour:
                return colour
    return None


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: str
    label: str
    pattern: str = ""

    @property
    def outline(self) -> str:
        return LIGHT_FILLS.get(self.color, "")


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class LegendEntry:
    color: str
    label: str
    pattern: str = ""

    @property
    def outline(self) -> str:
        return LIGHT_FILLS.get(self.color, "")


@dataclass
class Chart:
    width: int
    height: int
    plot_left: float
    plot_top: float
    plot_width: float
    plot_height: float
    rects: list[Rect] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    row_labels: list[Tick] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)

    @property
    def patterns(self) -> list[str]:
        """The patterns this chart uses (the SVG defines them once)."""
        return sorted({entry.pattern for entry in self.legend if entry.pattern})

    @property
    def plot_right(self) -> float:
        return self.plot_left + self.plot_width

    @property
    def plot_bottom(self) -> float:
        return self.plot_top + self.plot_height

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def nice_ticks(maximum: int, *, count: int = 4) -> list[int]:
    """Round tick values from 0 to at least ``maximum`` (1, 2 or 5 times a power of ten apart)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    top = step * math.ceil(maximum / step)
    return list(range(0, top + 1, step))


def series_styles(names: Sequence[str], colours: Sequence[str | None] | None = None) -> list[tuple[str, str]]:
    """(colour, pattern) per series: the given colour (a party's) or the next of the palette,
    and a pattern of its own, so that no two series differ by colour alone."""
    palette = _cycle([colour for colour in PALETTE if colour not in set(PARTY_COLOURS.values())] or PALETTE)
    styles = []
    for index, _name in enumerate(names):
        given = colours[index] if colours and index < len(colours) else None
        styles.append((given or next(palette), PATTERNS[index % len(PATTERNS)]))
    return styles


def stacked_columns(
    columns: Sequence[datetime.date],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    column_label: Callable[[datetime.date], str],
    colours: Sequence[str | None] | None = None,
    width: int = 760,
    height: int = 320,
) -> Chart:
    """Columns per month, each stacked from the series' counts (e.g. one series per faction).

    ``colours`` fixes a series' colour (a party's customary one); the others take the palette's.
    """
    chart = Chart(width=width, height=height, plot_left=48, plot_top=12, plot_width=width - 76, plot_height=height - 60)
    styles = series_styles([name for name, _ in series], colours)
    totals = [sum(values[i] for _, values in series) for i in range(len(columns))]
    ticks = nice_ticks(max(totals, default=0))
    scale = chart.plot_height / ticks[-1]
    chart.y_ticks = [Tick(chart.plot_bottom - value * scale, str(value)) for value in ticks]
    slot = chart.plot_width / max(len(columns), 1)
    gap = min(2.0, slot * 0.2)
    for index, column in enumerate(columns):
        x = chart.plot_left + index * slot
        y = chart.plot_bottom
        for (name, values), (color, pattern) in zip(series, styles):
            value = values[index]
            if value:
                height_px = value * scale
                y -= height_px
                chart.rects.append(Rect(x + gap / 2, y, slot - gap, height_px, color, f"{column_label(column)}, {name}: {value}", pattern))
    every = max(1, math.ceil(len(columns) / 8))
    chart.x_ticks = [
        Tick(chart.plot_left + (index + 0.5) * slot, column_label(column))
        for index, column in enumerate(columns)
        if index % every == 0
    ]
    chart.legend = [LegendEntry(color, name, pattern) for (name, _), (color, pattern) in zip(series, styles)]
    return chart


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[int]]],
    classes: Sequence[str],
    *,
    width: int = 760,
    bar_height: int = 22,
    label_width: int = 300,
) -> Chart:
    """One horizontal bar per row, 100 % wide, split into the shares of ``classes``."""
    height = 24 + len(rows) * (bar_height + 8) + 24
    chart = Chart(
        width=width,
        height=height,
        plot_left=label_width,
        plot_top=8,
        plot_width=width - label_width - 28,
        plot_height=len(rows) * (bar_height + 8),
    )
    for index, (name, counts) in enumerate(rows):
        y = chart.plot_top + index * (bar_height + 8) + 4
        total = sum(counts)
        chart.row_labels.append(Tick(y + bar_height / 2, name))
        x = chart.plot_left
        for count, label, color, pattern in zip(counts, classes, SEQUENTIAL, PATTERNS):
            if count and total:
                share = count / total
                chart.rects.append(Rect(x, y, share * chart.plot_width, bar_height, color, f"{name}, {label}: {count}", pattern))
                x += share * chart.plot_width
    chart.x_ticks = [Tick(chart.plot_left + chart.plot_width * p / 100, f"{p} %") for p in (0, 25, 50, 75, 100)]
    chart.legend = [LegendEntry(color, label, pattern) for label, color, pattern in zip(classes, SEQUENTIAL, PATTERNS)]
    return chart


def _cycle(colors: Sequence[str]) -> Iterator[str]:
    while True:
        yield from colors
