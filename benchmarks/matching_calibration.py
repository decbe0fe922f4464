"""The calibration curve of the matching scores: of the pairs scored about s, what share are true?

    QT_QPA_PLATFORM=offscreen python benchmarks/matching_calibration.py --people 20000 --notices 200000 \
        --set 1:7 --set 2:3 --out docs/matching-calibration.png

Each ``--set GENERATOR:SEED`` is washed with the pairs listed down to 0.01 (the review threshold);
the pairs are grouped in score bands and each band is drawn at (mean score, share true), with the diagonal a perfectly
calibrated score would follow. The table is printed in Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import sys
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import matching_eval

from app.domain.matching import Thresholds, data_wash

Curve = list[tuple[float, float, int, float, float]]
COLOURS = ("#1f5fa8", "#c2571a", "#2e8540", "#8a3fa0")


def curve(generator: int, seed: int, people: int, notices: int) -> Curve:
    args = matching_eval.parse(["--generator", str(generator), "--people", str(people), "--notices", str(notices),
                                "--seed", str(seed)])
    register, data = matching_eval.generate(args, random.Random(seed))
    found = data_wash(register, data.notices, matching_eval.HOME, Thresholds(match=0.9, review=0.01))
    return matching_eval.calibration(found, data)


def draw(curves: list[tuple[str, Curve]], out: Path) -> None:
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (fonts need an application)
    width, height, margin = 760, 560, 70
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    plot = QRectF(margin, 40, width - margin - 200, height - 40 - margin)

    def at(x: float, y: float) -> QPointF:
        return QPointF(plot.left() + x * plot.width(), plot.bottom() - y * plot.height())

    p.setPen(QPen(QColor("#cccccc"), 1))
    for i in range(11):
        p.drawLine(at(i / 10, 0), at(i / 10, 1))
        p.drawLine(at(0, i / 10), at(1, i / 10))
    p.setPen(QPen(QColor("#888888"), 1, Qt.PenStyle.DashLine))
    p.drawLine(at(0, 0), at(1, 1))
    p.setPen(QColor("black"))
    p.setFont(QFont("Sans", 9))
    for i in range(0, 11, 2):
        p.drawText(at(i / 10, 0) + QPointF(-8, 18), f"{i / 10:.1f}")
        p.drawText(at(0, i / 10) + QPointF(-34, 4), f"{i / 10:.1f}")
    p.setFont(QFont("Sans", 10))
    p.drawText(QPointF(plot.left() + plot.width() / 2 - 90, height - 20), "score given (mean of the band)")
    p.save()
    p.translate(18, plot.top() + plot.height() / 2 + 80)
    p.rotate(-90)
    p.drawText(QPointF(0, 0), "share of the pairs that are true")
    p.restore()
    p.setFont(QFont("Sans", 11, QFont.Weight.Bold))
    p.drawText(QPointF(margin, 25), "Matching scores: calibration (pairs from 0.01, in bands)")
    for n, (label, points) in enumerate(curves):
        colour = QColor(COLOURS[n % len(COLOURS)])
        p.setPen(QPen(colour, 2))
        dots = [at(mean, share) for _low, _high, _count, mean, share in points]
        for a, b in pairwise(dots):
            p.drawLine(a, b)
        p.setBrush(colour)
        for dot, (_low, _high, count, _mean, _share) in zip(dots, points, strict=True):
            radius = 2.5 + min(6.0, count ** 0.25)
            p.drawEllipse(dot, radius, radius)
        p.setFont(QFont("Sans", 10))
        p.drawText(QPointF(plot.right() + 16, plot.top() + 20 + 22 * n), label)
    p.setPen(QColor("#666666"))
    p.setFont(QFont("Sans", 9))
    p.drawText(QRectF(plot.right() + 16, plot.top() + 30 + 22 * len(curves), 180, 120),
               Qt.TextFlag.TextWordWrap,
               "dashed: a perfectly calibrated score; dot size grows with the pairs in the band")
    p.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(out))


def table(label: str, points: Curve) -> str:
    rows = [f"| {label} | {low:.2f}–{high:.2f} | {count:,} | {mean:.3f} | {share:.3f} |"
            for low, high, count, mean, share in points]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--notices", type=int, default=200_000)
    ap.add_argument("--set", action="append", default=[], metavar="GENERATOR:SEED")
    ap.add_argument("--out", type=Path, default=Path("docs/matching-calibration.png"))
    args = ap.parse_args(argv)
    curves = []
    print("| data | band | pairs | mean score | share true |\n|---|---|---|---|---|")
    for item in args.set or ["1:7", "2:3"]:
        generator, seed = (int(x) for x in item.split(":"))
        label = f"generator {generator}, seed {seed}"
        points = curve(generator, seed, args.people, args.notices)
        curves.append((label, points))
        print(table(label, points), flush=True)
    draw(curves, args.out)
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
