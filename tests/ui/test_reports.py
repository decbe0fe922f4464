"""The Reports section: a survey return written in a worker and offered to open, the dashboard
drawing the annual report's charts, and the retention list's model."""

from __future__ import annotations

import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.services import retention
from app.ui.charts import ChartWidget
from app.ui.main_window import MainWindow
from app.ui.models.retention_tables import RetentionTableModel
from app.ui.sections.reports import ReportsSection
from tests.ui.conftest import OpenWindow, shown
from tests.ui.sample_data import Sample


def reports_section(window: MainWindow) -> ReportsSection:
    return shown(window, ReportsSection)


def test_a_survey_return_is_written_in_a_worker_and_offered_to_open(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    section = reports_section(open_window(sample.lead))
    section.survey_year.setValue(2024)
    out = tmp_path / "return-2024.xlsx"
    with qtbot.waitSignal(section.export("survey", out).succeeded, timeout=30_000):
        pass
    assert out.exists() and out.stat().st_size > 0
    result = section.result
    assert result is not None and result.isVisible()
    assert str(out) in result.text() and result.open_button.text() == "Open file"
    assert "allegations" in result.text()
    assert "Unable to provide" in result.text()  # no headcount is held for 2023/24


def test_a_refused_export_is_shown_and_nothing_written(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    section = reports_section(open_window(sample.lead))
    out = tmp_path / "nothing.xlsx"
    section.outcomes_from.setDate(section.outcomes_to.date().addDays(1))
    with qtbot.waitSignal(section.export("outcomes", out).failed, timeout=30_000) as failed:
        pass
    assert "is after" in failed.args[0].message and not out.exists()


def test_the_dashboard_draws_the_annual_report_charts(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    section = reports_section(open_window(sample.lead))
    with qtbot.waitSignal(section.dashboard_ready, timeout=60_000):
        section.dash_year.setValue(2024)
    keys = [c.spec.key for c in section.charts if c.spec is not None]
    assert keys == ["outcomes", "quarters", "compliance", "time_to_outcome"]
    quarters = section.charts[1]
    description = quarters.accessibleDescription()  # the sample's year has under 5 allegations: no breakdown
    assert isinstance(quarters, ChartWidget) and "2023/24 –" in description
    assert not re.search(r"(?<![\d/])[1-4](?![\d/])", description.replace("2023/24", ""))
    assert not quarters.grab().isNull()


def test_the_dashboards_figures_are_worked_out_off_the_gui_thread(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The window stays responsive while the figures (suppression and audit: seconds on a large
    force) are worked out; a newer year supersedes an older request, whose result is dropped."""
    import threading

    from app.services import reporting

    section = reports_section(open_window(sample.lead))
    qtbot.waitUntil(lambda: section.dashboard_task is None, timeout=60_000)
    release, threads, years = threading.Event(), [], []
    real = reporting.dashboard

    def slow(uow, user, year):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        years.append(year)
        release.wait(10)
        return real(uow, user, year)

    monkeypatch.setattr(reporting, "dashboard", slow)
    section.dash_year.setValue(2023)
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=10_000)
    assert "Working out the figures" in section.dash_note.text()  # the GUI thread is free meanwhile
    with qtbot.waitSignal(section.dashboard_ready, timeout=60_000):
        section.dash_year.setValue(2024)
        release.set()
    assert all(t is not threading.main_thread() for t in threads) and years[-1] == 2024
    assert "Working out" not in section.dash_note.text()
    assert "2023/24" in section.charts[0].accessibleDescription()  # the latest request's figures


def test_the_retention_model_passes_the_model_tester(qtmodeltester, sample: Sample) -> None:  # type: ignore[no-untyped-def]
    model = RetentionTableModel()
    model.set_rows([retention.DueForReview(1, "PSD-2010-000001", None, retention.clock.today(), 0)])
    qtmodeltester.check(model)


def test_aggregation_names_a_malformed_return_and_counts_the_rest(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    from app.services import reporting

    good = tmp_path / "west-midlands-2024.xlsx"
    reporting.survey_return(sample.env.uow(), sample.lead, 2024, good)
    bad = tmp_path / "broken.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    section = reports_section(open_window(sample.lead))
    section.set_returns([good, bad])
    assert section.files_label.text() == "2 returns chosen"
    out = tmp_path / "national.xlsx"
    with qtbot.waitSignal(section.export("aggregate", out).succeeded, timeout=30_000):
        pass
    assert out.exists() and section.result is not None
    text = section.result.text()
    assert "1 return counted" in text and "1 not counted" in text and "broken.xlsx" in text


def test_the_liaison_exports_the_referral_register_from_the_window(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    from app.domain.enums import Role

    liaison = sample.env.user("liaison-ui", Role.IOPC_LIAISON)
    section = reports_section(open_window(liaison))
    assert set(section.cards) >= {"survey", "outcomes", "referrals"} and "annual" not in section.cards
    out = tmp_path / "referrals.xlsx"
    with qtbot.waitSignal(section.export("referrals", out).succeeded, timeout=30_000):
        pass
    assert out.exists() and section.result is not None
    assert "logged as a disclosure to the IOPC" in section.result.text()


def test_the_national_report_is_written_beside_the_workbook(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    from app.services import reporting

    good = tmp_path / "west-midlands-2024.xlsx"
    reporting.survey_return(sample.env.uow(), sample.lead, 2024, good)
    section = reports_section(open_window(sample.lead))
    section.set_returns([good])
    assert section.national_pdf.isChecked()
    out = tmp_path / "national.xlsx"
    with qtbot.waitSignal(section.export("aggregate", out).succeeded, timeout=60_000):
        pass
    assert out.exists() and out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
