"""Administration and the access log, driven through the widgets."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import audit, installation
from app.ui.main_window import MainWindow
from app.ui.sections.access_log import AccessLogSection
from app.ui.sections.admin import AdministrationSection
from tests.helpers import PASSWORD
from tests.ui.conftest import OpenWindow, message_boxes, shown
from tests.ui.sample_data import Sample


def admin_section(window: MainWindow) -> AdministrationSection:
    return shown(window, AdministrationSection)


def usernames(section: AdministrationSection) -> list[str]:
    return [r.username for r in section.users.model.rows()]


def test_the_administrator_adds_a_user_with_roles_and_a_staff_number(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    section = admin_section(open_window(sample.env.admin))
    assert "sup" in usernames(section)
    qtbot.mouseClick(section.users.add_button, Qt.MouseButton.LeftButton)
    dialog = section.users.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.username, "new.investigator")  # type: ignore[union-attr]
    qtbot.keyClicks(dialog.display_name, "Pat Newman")  # type: ignore[union-attr]
    dialog.roles.boxes[next(iter(dialog.roles.boxes))].setChecked(True)  # INVESTIGATOR
    qtbot.keyClicks(dialog.staff_number, "P999")  # type: ignore[union-attr]
    qtbot.keyClicks(dialog.password, PASSWORD)  # type: ignore[union-attr]
    qtbot.keyClicks(dialog.repeat, PASSWORD)  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "No one with staff number P999" in dialog.message.text()
    dialog.staff_number.setText("P006")  # type: ignore[union-attr]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "new.investigator" in usernames(section))
    row = next(r for r in section.users.model.rows() if r.username == "new.investigator")
    assert row.roles == ("INVESTIGATOR",) and row.staff_number == "P006"


def test_unlock_and_deactivate(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    from app.domain.errors import AuthenticationFailed
    from app.services import users

    for _ in range(5):
        with contextlib.suppress(AuthenticationFailed):
            users.authenticate(sample.env.uow(), "inv", "not the password")
    section = admin_section(open_window(sample.env.admin))
    section.users.select("inv")
    assert section.users.unlock_button.isEnabled()
    qtbot.mouseClick(section.users.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not section.users.unlock_button.isEnabled())
    assert users.authenticate(sample.env.uow(), "inv", PASSWORD).username == "inv"
    qtbot.mouseClick(section.users.active_button, Qt.MouseButton.LeftButton)
    assert section.users.active_button.text() == "Reactivate"
    assert section.users.model.index(section.users.table.currentIndex().row(), 5).data() == "Deactivated"


def test_headcount_and_systems_used_are_saved(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    section = admin_section(open_window(sample.env.admin))
    section.headcount.year.setValue(2025)
    section.headcount.total.setValue(7321)
    section.headcount.save()
    assert section.headcount.model.index(0, 1).data() == "7,321"
    assert installation.headcount(sample.env.uow(), 2025) == 7321
    section.force_settings.systems.setText("Centurion; PPDA Tracker")
    section.force_settings.save()
    assert installation.systems_used(sample.env.uow()) == "Centurion; PPDA Tracker"
    section.force_settings.systems.setText("  ")
    section.force_settings.save()
    assert any("Say which systems" in b.text() for b in message_boxes(section))


def test_the_auditor_searches_exports_and_verifies_the_log(
        qtbot: QtBot, sample: Sample, open_window: OpenWindow, tmp_path: Path) -> None:
    window = open_window(sample.aud)
    section = window.section(AccessLogSection)
    assert isinstance(section, AccessLogSection)
    assert section.model.rowCount() > 0
    section.username.setText("head")
    section.search()
    assert {section.model.index(r, 2).data() for r in range(section.model.rowCount())} == {"head"}
    out = tmp_path / "log.csv"
    with qtbot.waitSignal(section.export_to(out).succeeded, timeout=10_000):
        pass
    assert out.read_text(encoding="utf-8").startswith("OFFICIAL-SENSITIVE")
    assert audit.search(sample.env.uow(), sample.aud)[0].operation == "DISCLOSURE"
    with qtbot.waitSignal(section.verify().succeeded, timeout=10_000):
        pass
    assert section.verify_result.text().startswith("Access log verified")


def test_the_administrator_may_only_verify(qtbot: QtBot, sample: Sample, open_window: OpenWindow) -> None:
    window = open_window(sample.env.admin)
    section = window.section(AccessLogSection)
    assert isinstance(section, AccessLogSection)
    window.go_to(window.sections.index(section))
    assert not section.can_read and section.model.rowCount() == 0
    with qtbot.waitSignal(section.verify().succeeded, timeout=10_000):
        pass
    assert "chain intact" in section.verify_result.text()
