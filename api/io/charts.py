"""Charts of a condensed round as PNG bytes (matplotlib, Agg, no pyplot state): cluster sizes, the
technology-domain and region distributions, and a 2-D map of the round.

Chinese needs a CJK font. :func:`cjk_font` looks for one among the fonts matplotlib can see (Noto
Sans CJK from Debian's ``fonts-noto-cjk``, Source Han, WenQuanYi, the Windows and macOS fonts); a
machine without any still gets charts, with the Chinese labels replaced by their cluster keys or
numbers and a note saying which font to install, instead of rows of empty boxes.
"""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Noto Serif CJK SC")
NO_FONT_NOTE = "no CJK font: install fonts-noto-cjk for Chinese labels"


def cjk_font() -> str | None:
    """The first CJK font family matplotlib knows on this machine, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in names), None)


@dataclass(frozen=True)
class MapPoint:
    """One demand on the round's 2-D map: its position and cluster key (None: 未归类)."""

    x: float
    y: float
    cluster: str | None


class ChartMaker:
    """Draw the round's charts with one font decided at construction (``font=None``: look for one)."""

    def __init__(self, font: str | None = None, dpi: int = 110):
        self.font = font or cjk_font()
        self.dpi = dpi

    def _label(self, text: str, fallback: str) -> str:
        return text if self.font or text.isascii() else fallback

    def _figure(self, width: float, height: float):
        from matplotlib.figure import Figure

        fig = Figure(figsize=(width, height), dpi=self.dpi)
        if self.font:
            fig.set_layout_engine("constrained")
        return fig

    def _png(self, fig) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
        if not self.font:
            fig.text(0.01, 0.01, NO_FONT_NOTE, fontsize=7, color="#888888")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()

    def _rc(self):
        from matplotlib import rc_context

        return rc_context({"font.family": [self.font, "DejaVu Sans"] if self.font else ["DejaVu Sans"],
                           "axes.unicode_minus": False})

    def bars(self, counts: Mapping[str, float], title_zh: str, title_en: str, xlabel_zh: str, xlabel_en: str,
             limit: int = 20) -> bytes:
        """Horizontal bars, biggest on top (at most ``limit``; the rest summed as 其他)."""
        items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(items) > limit:
            items = items[: limit - 1] + [("其他", sum(v for _, v in items[limit - 1:]))]
        labels = [self._label(k, f"#{i + 1}") for i, (k, _) in enumerate(items)]
        values = [v for _, v in items]
        with self._rc():
            fig = self._figure(8, max(2.5, 0.32 * len(items) + 1.2))
            ax = fig.add_subplot()
            ax.barh(range(len(items))[::-1], values, color="#3b6ea8")
            ax.set_yticks(range(len(items))[::-1], labels)
            for y, v in zip(range(len(items))[::-1], values):
                ax.text(v, y, f" {v:g}", va="center", fontsize=8)
            ax.set_title(title_zh if self.font else title_en)
            ax.set_xlabel(xlabel_zh if self.font else xlabel_en)
            ax.spines[["top", "right"]].set_visible(False)
            return self._png(fig)

    def round_map(self, points: Sequence[MapPoint], names: Mapping[str, str], highlight: int = 10) -> bytes:
        """Every demand as a dot, the ``highlight`` biggest clusters in colour and labelled, 未归类 as grey crosses."""
        sizes: dict[str, int] = {}
        for p in points:
            if p.cluster:
                sizes[p.cluster] = sizes.get(p.cluster, 0) + 1
        top = [k for k, _ in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))[:highlight]]
        with self._rc():
            from matplotlib import colormaps

            fig = self._figure(8, 6.5)
            ax = fig.add_subplot()
            xy = np.array([[p.x, p.y] for p in points], dtype=float).reshape(-1, 2)
            other = np.array([p.cluster is not None and p.cluster not in top for p in points])
            loose = np.array([p.cluster is None for p in points])
            if other.any():
                ax.scatter(xy[other, 0], xy[other, 1], s=10, c="#c8c8c8", label=self._label("其他类", "other"))
            if loose.any():
                ax.scatter(xy[loose, 0], xy[loose, 1], s=14, c="#999999", marker="x",
                           label=self._label("未归类", "unclustered"))
            palette = colormaps["tab10"]
            for n, key in enumerate(top):
                mask = np.array([p.cluster == key for p in points])
                label = f"{key} {names.get(key, '')[:14]}".strip()
                ax.scatter(xy[mask, 0], xy[mask, 1], s=16, color=palette(n % 10),
                           label=self._label(label, key))
                cx, cy = xy[mask].mean(axis=0)
                ax.annotate(key, (cx, cy), fontsize=8, weight="bold", ha="center")
            ax.set_title("本轮需求分布图（主成分投影）" if self.font else "Map of the round (PCA)")
            ax.set_xticks([])
            ax.set_yticks([])
            if top or loose.any():
                ax.legend(fontsize=7, loc="best", markerscale=1.2, framealpha=0.8)
            return self._png(fig)
