"""Quality and speed of the prior-notice matching engine on synthetic data with known truth.

    python benchmarks/matching_eval.py                                # small run (5,000 x 100,000)
    python benchmarks/matching_eval.py --people 50000 --notices 1000000 --seed 7
    python benchmarks/matching_eval.py --generator 2 --people 20000 --notices 200000 --seed 3

``--generator 1`` is benchmarks/matching_data.py (the engine is tuned on it), ``--generator 2`` is
benchmarks/matching_data2.py, written independently from the ONS and MoJ descriptions of errors in
administrative data (for evaluation only). ``--calibration`` lists pairs down to score 0.01 and prints,
per score band, how many pairs there were and what share of them were true: the calibration curve.

Prints precision (of every listed candidate, and of MATCH proposals alone), recall (a true
notice counts as found when its person is listed as MATCH or REVIEW), recall per kind of error,
what happened to the hard negatives, the time of the whole data wash (index build included), peak
memory (getrusage) and the latency of matching one notice (median and p95 over 1,000 notices).
The data are described in benchmarks/matching_data.py.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import matching_data2
from matching_data import HOME, NamePool, NoticeFile, make_notices, make_register

from app.domain.enums import MatchDecision
from app.domain.matching import (
    Candidate,
    MatchIndex,
    NoticeIndex,
    RegisterEntry,
    Thresholds,
    data_wash,
)


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MB (Linux: KB units)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def quality(found: list[Candidate], data: NoticeFile) -> dict[str, float]:
    truth = data.truth
    right = [c for c in found if truth[c.notice_key - 1] == c.person_id]
    matches = [c for c in found if c.decision is MatchDecision.MATCH]
    right_matches = [c for c in matches if truth[c.notice_key - 1] == c.person_id]
    true_notices = sum(1 for t in truth if t)
    found_notices = {c.notice_key for c in right}
    matched_notices = {c.notice_key for c in right_matches}
    return {
        "candidates listed": len(found),
        "MATCH proposals": len(matches),
        "precision (MATCH+REVIEW)": len(right) / max(len(found), 1),
        "precision (MATCH only)": len(right_matches) / max(len(matches), 1),
        "true notices": true_notices,
        "recall (MATCH+REVIEW)": len(found_notices) / max(true_notices, 1),
        "recall (MATCH only)": len(matched_notices) / max(true_notices, 1),
    }


def breakdown(found: list[Candidate], data: NoticeFile, combinations: bool = False) -> list[str]:
    """Recall per kind of error in true notices; outcomes of hard negatives and bulk notices. Notices
    with two errors are counted together unless ``combinations`` (then per pair of kinds: counts only)."""
    best: dict[int, Candidate] = {}
    listed: dict[int, list[Candidate]] = defaultdict(list)
    for c in found:
        listed[c.notice_key].append(c)
        if data.truth[c.notice_key - 1] == c.person_id:
            best[c.notice_key] = c
    totals: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    auto: Counter[str] = Counter()
    for index, kind in enumerate(data.kinds):
        label = kind if not kind.startswith("true:") or "+" not in kind or combinations else "true:two errors"
        totals[label] += 1
        key = index + 1
        if kind.startswith("true:"):
            hits[label] += key in best
            auto[label] += key in best and best[key].decision is MatchDecision.MATCH
        else:
            hits[label] += bool(listed.get(key))
            auto[label] += any(c.decision is MatchDecision.MATCH for c in listed.get(key, ()))
    lines = [f"  {'kind':34} {'notices':>9} {'listed':>8} {'MATCH':>8}"]
    for label in sorted(totals):
        lines.append(f"  {label:34} {totals[label]:9d} {hits[label]:8d} {auto[label]:8d}")
    return lines


def latency(index: MatchIndex, data: NoticeFile, samples: int, rng: random.Random) -> tuple[float, float]:
    """Median and p95 (ms) of matching one notice; true notices over-sampled to a third."""
    true_keys = [i for i, t in enumerate(data.truth) if t]
    picks = [rng.choice(true_keys) if true_keys and rng.random() < 1 / 3 else rng.randrange(len(data.notices))
             for _ in range(samples)]
    times = []
    for i in picks:
        start = time.perf_counter()
        index.match(data.notices[i])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def person_latency(
    register: list[RegisterEntry], data: NoticeFile, held: int, rng: random.Random
) -> tuple[float, float, float]:
    """Build time (s) of a NoticeIndex over ``held`` notices, then median and p95 (ms) of match_person."""
    start = time.perf_counter()
    index = NoticeIndex(data.notices[:held], HOME)
    built = time.perf_counter() - start
    times = []
    for person in rng.sample(register, min(1000, len(register))):
        start = time.perf_counter()
        index.match_person(person)
        times.append((time.perf_counter() - start) * 1000)
    return built, statistics.median(times), statistics.quantiles(times, n=20)[-1]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--true-share", type=float, default=0.01, help="share of notices about register people")
    parser.add_argument("--hard-share", type=float, default=0.001, help="share of look-alike hard negatives")
    parser.add_argument("--match", type=float, default=Thresholds().match)
    parser.add_argument("--review", type=float, default=Thresholds().review)
    parser.add_argument("--workers", type=int, default=1, help="processes for the data wash (forked)")
    parser.add_argument("--held", type=int, default=100_000, help="notices held for the match_person timing")
    parser.add_argument("--sweep", action="store_true", help="also print precision/recall at other review thresholds")
    parser.add_argument("--show-errors", type=int, default=0, help="print this many misses and false positives")
    parser.add_argument("--generator", type=int, choices=(1, 2), default=1)
    parser.add_argument("--calibration", action="store_true",
                        help="list pairs from 0.01 (the review threshold) and print the calibration table")
    parser.add_argument("--combinations", action="store_true", help="recall per combination of two errors (counts)")
    parser.add_argument("--no-latency", action="store_true", help="skip the one-notice and one-person timings")
    return parser.parse_args(argv)


BANDS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)


def calibration(found: list[Candidate], data: NoticeFile) -> list[tuple[float, float, int, float, float]]:
    """Per score band: (low, high, pairs, mean score, share of them that are true)."""
    rows = []
    for low, high in pairwise(BANDS):
        inside = [c for c in found if low <= c.score < high or (high == 1.0 and c.score == 1.0)]
        if inside:
            true = sum(1 for c in inside if data.truth[c.notice_key - 1] == c.person_id)
            rows.append((low, high, len(inside), statistics.fmean(c.score for c in inside), true / len(inside)))
    return rows


def at_thresholds(found: list[Candidate], thresholds: Thresholds) -> list[Candidate]:
    """The pairs that would be listed at these thresholds (from a wash run with a lower floor)."""
    return [c for c in found if c.score >= thresholds.review or c.decision is MatchDecision.MATCH]


def targets(found: list[Candidate], data: NoticeFile) -> dict[str, float]:
    """The issue's figures: auto precision, auto recall, recall of auto or review, review rows."""
    q = quality(found, data)
    reviews = sum(1 for c in found if c.decision is MatchDecision.REVIEW)
    return {"auto precision": q["precision (MATCH only)"], "auto recall": q["recall (MATCH only)"],
            "recall (auto or review)": q["recall (MATCH+REVIEW)"], "review rows": reviews,
            "true notices": q["true notices"], "review rows per true notice": reviews / max(q["true notices"], 1)}


def generate(args: argparse.Namespace, rng: random.Random) -> tuple[list[RegisterEntry], NoticeFile]:
    if args.generator == 2:
        made = matching_data2.generate(args.seed, args.people, args.notices, args.true_share)
        return made.register, NoticeFile(made.notices, made.truth, made.kinds)
    pool = NamePool(rng)
    members = make_register(rng, pool, args.people)
    data = make_notices(rng, pool, members, args.notices, args.true_share, args.hard_share)
    return [m.entry for m in members], data


def sweep(found: list[Candidate], data: NoticeFile, lowest: float) -> None:
    """Precision and recall had the review threshold been higher (from one wash at ``lowest``)."""
    print(f"  {'review':>7} {'listed':>8} {'precision':>10} {'recall':>8}")
    steps = sorted({x / 100 for x in range(1, 5)} | {x / 20 for x in range(20)})
    for review in (x for x in steps if x >= lowest - 1e-9):
        kept = [c for c in found if c.score >= review or c.decision is MatchDecision.MATCH
                or any("identifier agrees" in r for r in c.reasons)]
        q = quality(kept, data)
        print(f"  {review:7.2f} {len(kept):8,} {q['precision (MATCH+REVIEW)']:10.4f} {q['recall (MATCH+REVIEW)']:8.4f}")


def show_errors(found: list[Candidate], data: NoticeFile, register: list[RegisterEntry], limit: int) -> None:
    people = {r.person_id: r for r in register}
    got = {(c.notice_key, c.person_id) for c in found}
    misses = [i for i, t in enumerate(data.truth) if t and (i + 1, t) not in got][:limit]
    print("\nMissed true notices:")
    for i in misses:
        print(f"  {data.kinds[i]:28} {data.notices[i]}\n  {'':28} {people[data.truth[i]]}")
    print("\nFalse positives:")
    for c in [c for c in found if data.truth[c.notice_key - 1] != c.person_id][:limit]:
        print(f"  {data.kinds[c.notice_key - 1]:28} {c.score} {c.decision} {'; '.join(c.reasons)}")
        print(f"  {'':28} {data.notices[c.notice_key - 1]}\n  {'':28} {people[c.person_id]}")


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    rng = random.Random(args.seed)
    thresholds = Thresholds(match=args.match, review=args.review)
    washed = Thresholds(match=args.match, review=0.01) if args.calibration else thresholds
    start = time.perf_counter()
    register, data = generate(args, rng)
    generated = time.perf_counter() - start
    before = peak_rss_mb()[0]
    print(f"generator {args.generator}: {args.people:,} people, {args.notices:,} notices, seed {args.seed} "
          f"({generated:.1f} s to generate)")
    start, cpu = time.perf_counter(), time.process_time()
    found = data_wash(register, data.notices, HOME, washed, workers=args.workers)
    wash, cpu = time.perf_counter() - start, time.process_time() - cpu
    own, _children = peak_rss_mb()
    print(f"data wash ({args.workers} process{'es' if args.workers > 1 else ''}): {wash:.2f} s wall, "
          f"{cpu:.2f} s CPU in this process ({args.notices / wash:,.0f} notices/s), {thresholds}")
    print(f"peak RSS: {own:,.0f} MB (before the wash {before:,.0f} MB)")
    if args.calibration:
        print(f"  {'band':>11} {'pairs':>8} {'mean score':>11} {'share true':>11}")
        for low, high, count, mean, share in calibration(found, data):
            print(f"  {low:4.2f}-{high:4.2f}  {count:8,} {mean:11.3f} {share:11.3f}")
        found = at_thresholds(found, thresholds)
    for name, value in targets(found, data).items():
        print(f"{name:30} {value:.4f}" if isinstance(value, float) else f"{name:30} {value:,}")
    for name, value in quality(found, data).items():
        print(f"{name:26} {value:.4f}" if isinstance(value, float) else f"{name:26} {value:,}")
    print("\n".join(breakdown(found, data, args.combinations)))
    if args.sweep:
        sweep(found, data, thresholds.review)
    if not args.no_latency:
        start = time.perf_counter()
        index = MatchIndex(register, HOME, thresholds)
        built = time.perf_counter() - start
        median, p95 = latency(index, data, 1000, rng)
        print(f"MatchIndex build {built:.2f} s; one notice: median {median:.3f} ms, p95 {p95:.3f} ms")
        held = min(args.held, len(data.notices))
        built, median, p95 = person_latency(register, data, held, rng)
        print(f"NoticeIndex over {held:,} notices build {built:.2f} s; "
              f"one person: median {median:.3f} ms, p95 {p95:.3f} ms")
    if args.show_errors:
        if args.generator == 2:
            print("\n(errors of generator 2 are not shown: it is for evaluation, not for tuning)")
        else:
            show_errors(found, data, register, args.show_errors)


if __name__ == "__main__":
    main()
