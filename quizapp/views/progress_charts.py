"""Geometry of the progress charts, drawn as inline SVG by templates/progress/_charts.html.

The server sends the chart as markup computed from the same figures as the table beside it, so
there is no chart library, no CDN and nothing to load; the SVG scales to a phone's width.
"""
from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 34, 18, 10, 22
COLORS = ("#c8102e", "#1f6feb", "#2da44e")


@dataclass
class Line:
    name: str
    color: str
    segments: list[list[tuple[float, float]]]  # a gap (no data) splits a line into segments
    dots: list[tuple[float, float, str]]  # x, y, value text for the dot's tooltip


@dataclass
class LineChart:
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    lines: list[Line] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return round(LEFT + (inner * index / (count - 1) if count > 1 else inner / 2), 1)


def _y(value: float, top: float) -> float:
    inner = HEIGHT - TOP - BOTTOM
    return round(TOP + inner * (1 - min(value, top) / top), 1)


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def line_chart(title: str, labels: list[str], series: dict[str, list[float | None]],
               top: float = 1.0, percent: bool = True, label_every: int = 2) -> LineChart:
    """Lines of the series (None = no data) over the labels, values from 0 to `top`."""
    chart = LineChart(title)
    count = len(labels)
    chart.x_labels = [(_x(index, count), label) for index, label in enumerate(labels)
                      if index % label_every == (count - 1) % label_every]
    fmt = percent_text if percent else (lambda value: f"{value:g}")
    chart.y_ticks = [(_y(top * share, top), fmt(top * share)) for share in (0, 0.5, 1)]
    for (name, values), color in zip(series.items(), COLORS):
        segments, current, dots = [], [], []
        for index, value in enumerate(values):
            if value is None:
                if current:
                    segments.append(current)
                current = []
                continue
            point = (_x(index, count), _y(value, top))
            current.append(point)
            dots.append((*point, f"{labels[index]} {name} {fmt(value)}"))
        if current:
            segments.append(current)
        chart.lines.append(Line(name, color, segments, dots))
    return chart


def strip_level(count: int) -> int:
    """Colour level of a day in the study strip: 0 none, 1 one quiz, 2 two, 3 three or more."""
    return min(count, 3)
