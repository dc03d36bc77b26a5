"""Prometheus-style metrics of the hub, in the text exposition format (``GET /metrics``)."""

from __future__ import annotations

import bisect
from collections.abc import Callable

LATENCY_BUCKETS_S = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self._counters: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        self._help: dict[str, tuple[str, str]] = {}
        self._histograms: dict[str, tuple[list[int], list[float]]] = {}
        self._gauges: dict[str, Callable[[], dict[str, float]]] = {}

    def count(self, name: str, help_text: str, amount: float = 1.0, **labels: str) -> None:
        self._help.setdefault(name, ("counter", help_text))
        key = (name, tuple(sorted(labels.items())))
        self._counters[key] = self._counters.get(key, 0.0) + amount

    def observe(self, name: str, help_text: str, seconds: float) -> None:
        self._help.setdefault(name, ("histogram", help_text))
        counts, total = self._histograms.setdefault(
            name, ([0] * (len(LATENCY_BUCKETS_S) + 1), [0.0])
        )
        counts[bisect.bisect_left(LATENCY_BUCKETS_S, seconds)] += 1
        total[0] += seconds

    def gauge(self, name: str, help_text: str, read: Callable[[], dict[str, float]]) -> None:
        """``read`` returns label value → gauge value ("" for an unlabelled gauge)."""
        self._help[name] = ("gauge", help_text)
        self._gauges[name] = read

    def render(self) -> str:
        lines: list[str] = []
        for name, (kind, help_text) in sorted(self._help.items()):
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
            if kind == "counter":
                for (metric, labels), value in sorted(self._counters.items()):
                    if metric == name:
                        lines.append(f"{name}{_labels(labels)} {value:g}")
            elif kind == "gauge":
                for label, value in sorted(self._gauges[name]().items()):
                    suffix = f'{{state="{label}"}}' if label else ""
                    lines.append(f"{name}{suffix} {value:g}")
            else:
                counts, total = self._histograms[name]
                running = 0
                for bound, count in zip(LATENCY_BUCKETS_S, counts, strict=False):
                    running += count
                    lines.append(f'{name}_bucket{{le="{bound:g}"}} {running}')
                running += counts[-1]
                lines += [
                    f'{name}_bucket{{le="+Inf"}} {running}',
                    f"{name}_sum {total[0]:.6f}",
                    f"{name}_count {running}",
                ]
        return "\n".join(lines) + "\n"


def _labels(labels: tuple[tuple[str, str], ...]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{key}="{_escape(value)}"' for key, value in labels)
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
