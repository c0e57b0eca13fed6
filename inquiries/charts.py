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


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: str
    label: str


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class LegendEntry:
    color: str
    label: str


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


def stacked_columns(
    columns: Sequence[datetime.date],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    column_label: Callable[[datetime.date], str],
    width: int = 760,
    height: int = 320,
) -> Chart:
    """Columns per month, each stacked from the series' counts (e.g. one series per faction)."""
    chart = Chart(width=width, height=height, plot_left=48, plot_top=12, plot_width=width - 76, plot_height=height - 60)
    totals = [sum(values[i] for _, values in series) for i in range(len(columns))]
    ticks = nice_ticks(max(totals, default=0))
    scale = chart.plot_height / ticks[-1]
    chart.y_ticks = [Tick(chart.plot_bottom - value * scale, str(value)) for value in ticks]
    slot = chart.plot_width / max(len(columns), 1)
    gap = min(2.0, slot * 0.2)
    for index, column in enumerate(columns):
        x = chart.plot_left + index * slot
        y = chart.plot_bottom
        for (name, values), color in zip(series, _cycle(PALETTE)):
            value = values[index]
            if value:
                height_px = value * scale
                y -= height_px
                chart.rects.append(Rect(x + gap / 2, y, slot - gap, height_px, color, f"{column_label(column)}, {name}: {value}"))
    every = max(1, math.ceil(len(columns) / 8))
    chart.x_ticks = [
        Tick(chart.plot_left + (index + 0.5) * slot, column_label(column))
        for index, column in enumerate(columns)
        if index % every == 0
    ]
    chart.legend = [LegendEntry(color, name) for (name, _), color in zip(series, _cycle(PALETTE))]
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
        for count, label, color in zip(counts, classes, SEQUENTIAL):
            if count and total:
                share = count / total
                chart.rects.append(Rect(x, y, share * chart.plot_width, bar_height, color, f"{name}, {label}: {count}"))
                x += share * chart.plot_width
    chart.x_ticks = [Tick(chart.plot_left + chart.plot_width * p / 100, f"{p} %") for p in (0, 25, 50, 75, 100)]
    chart.legend = [LegendEntry(color, label) for label, color in zip(classes, SEQUENTIAL)]
    return chart


def _cycle(colors: Sequence[str]) -> Iterator[str]:
    while True:
        yield from colors
