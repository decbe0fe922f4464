"""Subcommands: the survey return, outcome breakdowns, the referral register, the annual report,
national aggregation and the case-file bundle."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.commands.base import Sub, command, iso_date

if TYPE_CHECKING:
    from app.cli.session import CliSession


def register(sub: Sub, roles: list[str]) -> None:
    _case_file(_exports(sub))


def _exports(sub: Sub) -> Sub:
    p = sub.add_parser("export",
                       help="the Commissioner's survey return, the outcome breakdowns, the referral register, a case "
                       "file")
    es = p.add_subparsers(dest="export_command", required=True)
    r = command(es, "survey-return", cmd_export_return, "the survey return for the 12 months ending 31 March of YEAR")
    r.add_argument("--year", type=int, required=True)
    r.add_argument("--out", type=Path, required=True)
    o = command(es, "outcomes", cmd_export_outcomes, "the outcome breakdowns workbook for a period")
    o.add_argument("--from", dest="start", type=iso_date, required=True, metavar="DATE")
    o.add_argument("--to", dest="end", type=iso_date, required=True, metavar="DATE")
    o.add_argument("--out", type=Path, required=True)
    f = command(es, "referrals", cmd_export_referrals, "the IOPC referral register: every referral sent in a period")
    f.add_argument("--from", dest="start", type=iso_date, required=True, metavar="DATE")
    f.add_argument("--to", dest="end", type=iso_date, required=True, metavar="DATE")
    f.add_argument("--out", type=Path, required=True)
    rp = sub.add_parser("report", help="the annual report")
    rs = rp.add_subparsers(dest="report_command", required=True)
    a = command(rs, "annual", cmd_report_annual, "the annual report PDF for the force lead (aggregate only)")
    a.add_argument("--year", type=int, required=True)
    a.add_argument("--out", type=Path, required=True)
    g = command(sub, "aggregate", cmd_aggregate, "national totals and a per-force table from many survey returns "
                "(files only: no database or account)")
    g.add_argument("files", nargs="+", type=Path, metavar="FILE")
    g.add_argument("--out", type=Path, required=True, help="the national workbook (.xlsx)")
    g.add_argument("--pdf", type=Path, help="also the national report (.pdf), with small numbers protected")
    return es


def cmd_export_return(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import reporting

    count = reporting.survey_return(s.uow(), s.user(), a.year, a.out)
    f = count.figures
    pct = "not available (no headcount)" if f.workforce_percent is None else f"{f.workforce_percent:.2f}%"
    print(f"Survey return {f.period_start.isoformat()} to {f.period_end.isoformat()} written to {a.out} "
          f"(OFFICIAL-SENSITIVE): {f.allegations} allegations, {f.individuals} individuals, {pct} of the workforce.")
    return 0


def cmd_export_outcomes(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import reporting

    reporting.outcome_breakdowns(s.uow(), s.user(), a.start, a.end, a.out)
    print(f"Outcome breakdowns {a.start.isoformat()} to {a.end.isoformat()} written to {a.out} (OFFICIAL-SENSITIVE).")
    return 0


def cmd_export_referrals(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import referrals

    rows = referrals.export_referral_register(s.uow(), s.user(), a.start, a.end, a.out)
    print(f"IOPC referral register {a.start.isoformat()} to {a.end.isoformat()} written to {a.out} "
          f"(OFFICIAL-SENSITIVE, logged as a disclosure to the IOPC): {len(rows)} referred allegation(s).")
    return 0


def cmd_report_annual(s: CliSession, a: argparse.Namespace) -> int:
    from app.services import reporting

    reporting.annual_report(s.uow(), s.user(), a.year, a.out)
    print(f"Annual report for the year ending 31 March {a.year} written to {a.out} (OFFICIAL-SENSITIVE).")
    return 0


def cmd_aggregate(s: CliSession, a: argparse.Namespace) -> int:
    """Files only: no database is opened and no account is asked for (FORMATS.md)."""
    from app.services import reporting

    result = reporting.aggregate_files(a.files, a.out, a.pdf, produced_by=_os_user())
    n = result.national
    written = f"{a.out}" + (f" and {a.pdf}" if a.pdf else "")
    print(f"{n.forces} return(s) counted: {n.allegations} allegations, {n.individuals} individuals; "
          f"written to {written} (OFFICIAL-SENSITIVE).")
    for rejected in result.rejected:
        print(f"NOT COUNTED {rejected}", file=sys.stderr)
    return 0


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"


# ---- the case file (issue #15) ---------------------------------------------------------------------

def _case_file(es: Sub) -> None:
    c = command(es, "case-file", cmd_export_case_file,
                "the PDF bundle of one case for the IOPC referral or a misconduct hearing (victims' contact details "
                "excluded), logged as a disclosure to RECIPIENT")
    c.add_argument("--case", dest="case_ref", required=True, metavar="REF")
    c.add_argument("--to", dest="recipient", required=True, metavar="RECIPIENT")
    c.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    c.add_argument("--purpose", default=None, help="e.g. 'IOPC referral' or 'misconduct hearing'")


def cmd_export_case_file(s: CliSession, a: argparse.Namespace) -> int:
    from app.services.casefile import export

    user = s.user()
    done = export.export_case_file(s.uow(), user, export.find_case(s.uow(), a.case_ref), a.recipient, a.out,
                                   purpose=a.purpose)
    print(f"Case file {done.reference} written to {a.out} for {a.recipient} (OFFICIAL-SENSITIVE): {done.pages} pages, "
          f"{done.decisions} decisions, {done.entries} log entries, {done.documents} document versions listed.")
    return 0
