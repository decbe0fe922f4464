"""The annual report's method page: counting rules, how small numbers were protected and what was
withheld where, the disclosure audit's verdict, and the rules of the summary."""

from __future__ import annotations

from collections import Counter

from reportlab.platypus import Flowable, PageBreak, Paragraph

from app.reports.commentary import SUMMARY_RULES
from app.reports.counting import COUNTING_RULES
from app.reports.disclosure.model import Status
from app.reports.figures import PublishedFigures
from app.reports.pdf_layout import BULLET, H1, H2, esc, para
from app.reports.profiles import MAIN_OUTCOME_RULE
from app.reports.publication import NOT_SHOWN, SMALL_MARK, WITHHELD_MARK
from app.reports.read_models import ReturnContext, long_date
from app.reports.words import readable

SECTIONS = {
    "allegations": "Key figures", "individuals": "Key figures", "referred": "Key figures",
    "with_outcome": "Time to outcome", "open": "Time to outcome", "open_12m": "Time to outcome",
    "band": "Time to outcome", "main": "Profile tables (totals)", "outcome_individuals": "Outcomes",
    "quarter": "Allegations by quarter", "quarter_individuals": "Allegations by quarter",
    "missing_end_date": "Data quality",
}
PROTECTION = (
    f"Primary suppression: every count from 1 to 4 is shown as {SMALL_MARK}, in tables, charts and sentences.",
    f"Complementary suppression: a count that would let a reader work out a {SMALL_MARK} by adding or "
    f"subtracting (with a row or column total, another table, the previous year's column, a chart or a "
    f"sentence) is withheld as {WITHHELD_MARK}. Cells are withheld before row or column totals, and headline "
    "totals only when nothing else protects; among cells, those of 9 or more are preferred, because a reader "
    f"knows a {WITHHELD_MARK} is at least 5 and a smaller one could still give a {SMALL_MARK} away.",
    f"Percentages and averages are shown only when every count behind them is printed; otherwise {NOT_SHOWN}.",
    "Before the report was written, an audit took every printed figure and every relation between them "
    "(rows adding up to totals, the same total in several tables, individuals never more than allegations, "
    "and so on) and, for each count from 1 to 4 not printed, found whole-number solutions of all of them in "
    "which that count is 1 and in which it is 4 (or the narrowest range its neighbouring <5 marks already "
    "imply): so no printed figure narrows it down. The report is refused, and nothing written, if the audit "
    "fails. Method after Statistics Norway's GaussSuppression (exact protection by linear algebra) and "
    "tau-Argus (interval protection by linear programming).",
    "Not covered: comparison with earlier editions, or with protected figures for other periods. Figures for "
    "the previous year are counted again as at the date of this report, so they can differ from the previous "
    "edition. The force lead's outcome workbook for a survey year is protected exactly as this report is.",
)


def _section(key: tuple[object, ...], dimensions: dict[str, str]) -> str:
    name = str(key[0])
    if name == "profile":
        return f"By {dimensions.get(str(key[2]), str(key[2])).lower()}"
    return SECTIONS.get(name, "Compliance")


def withheld_by_section(f: PublishedFigures) -> list[tuple[str, int, int]]:
    """(section, counts shown as <5, counts withheld as [c]) for every section with either."""
    dimensions = {p.key: p.dimension for p in f.profiles}
    small: Counter[str] = Counter()
    withheld: Counter[str] = Counter()
    for q in f.pub.model.quantities:
        status = f.pub.status[q.index]
        if status is Status.SMALL:
            small[_section(q.key, dimensions)] += 1
        elif status is Status.WITHHELD:
            withheld[_section(q.key, dimensions)] += 1
    sections = sorted(set(small) | set(withheld))
    return [(s, small[s], withheld[s]) for s in sections]


def method_story(f: PublishedFigures, context: ReturnContext) -> list[Flowable]:
    story: list[Flowable] = [
        PageBreak(),
        para("Methodology and counting rules", H1),
        para("The figures are counted from the force's PPDA case records by the same rules as the force's return "
             "to the Domestic Abuse Commissioner's survey:"),
        *[Paragraph(esc(readable(rule)), BULLET, bulletText="•") for rule in COUNTING_RULES],
        para("Other measures", H2),
        para(MAIN_OUTCOME_RULE),
        para("Time to outcome counts days from the case's receipt to the allegation's latest outcome. A restriction "
             "decision is on time when it is made by the policy deadline after the threshold for investigation was "
             "met; a decision or review still outstanding after its due date counts as late or not done (as at "
             f"{long_date(context.as_of)})."),
        para("Small numbers and the disclosure check", H2),
        *[Paragraph(esc(line), BULLET, bulletText="•") for line in PROTECTION],
        para(f"Disclosure check: {f.pub.verdict.summary()}"),
    ]
    rows = withheld_by_section(f)
    if rows:
        listed = "; ".join(f"{name}: {n} shown as {SMALL_MARK}, {w} withheld as {WITHHELD_MARK}" for name, n, w in rows)
        story.append(para(f"Where: {listed}."))
    story += [para("How the summary is chosen", H2),
              *[Paragraph(esc(r), BULLET, bulletText="•") for r in SUMMARY_RULES]]
    missing = f.text("missing_end_date", f.year)
    if missing != "0":
        story += [para("Data quality", H2),
                  para(f"{missing} individuals recorded as resigned or retired have no end date, so whether they left "
                       "while the allegation was live cannot be established; they are not counted as resigned or "
                       "retired.")]
    return story
