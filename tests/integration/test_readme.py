"""The README is true in every command it gives (issue 17): each `ppda-tracker …`, `bash …` and
`python …` command in it is run here, as a newcomer would type it, against a new database in a
temporary folder; a command that would open the window or run for minutes (the test suite, the
installer build) is run with `--help` instead, which still proves that it exists and starts. The
command-line reference is checked against the program's own parser in both directions: every
subcommand and option it names exists, and every subcommand and option the program has is named.
The set-up section keeps exactly two commands, and every dependency in pyproject.toml is explained."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import time
import tomllib
from pathlib import Path

import pytest

from app.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMAND = re.compile(r"^(?:[A-Z_]+=\S+ )*(?:bash |\.venv/bin/|python |ppda-tracker|xvfb-run )")
# Run with --help: the window (it waits for a sign-in) and the commands that take minutes.
LONG = ("bash scripts/test", "bash installer/build", "bash scripts/start", "bash scripts/lint")


def code_lines() -> list[str]:
    """The lines of the README's indented code blocks (joined where a line ends with a backslash)."""
    lines, previous_blank, inside = [], True, False
    for raw in README.splitlines():
        if raw.startswith("    ") and (inside or previous_blank):
            inside = True
            lines.append(raw.strip())
        elif raw.strip():
            inside = False
        previous_blank = not raw.strip()
    return lines


def inline_commands() -> list[str]:
    """Commands quoted in the README's prose (`bash scripts/test --quick`, the screenshot commands)."""
    spans = [" ".join(s.split()) for s in re.findall(r"`([^`\n]+(?:\n[^`\n]+)?)`", README)]
    return [s for s in spans if COMMAND.match(s) and not s.startswith("ppda-tracker")]


def block_commands() -> list[str]:
    return [line for line in code_lines() if COMMAND.match(line) and not line.startswith("ppda-tracker ")]


def synopses() -> list[str]:
    """The command-line reference: `ppda-tracker …` lines, comments dropped, `a | b` split."""
    found = []
    for line in code_lines():
        if line.startswith("ppda-tracker ") and "--db sqlite:///" not in line:
            text = line.split("   #")[0].removeprefix("ppda-tracker ").strip()
            found += [part.strip() for part in re.split(r" \| (?=[a-z])", text)]
    return found


def test_the_set_up_section_has_exactly_two_commands() -> None:
    section = README.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    first = section.split("\nOn first start", 1)[0]
    commands = [line.strip() for line in first.splitlines() if line.startswith("    ")]
    assert commands == ["bash scripts/start", "bash scripts/test"]


def test_every_dependency_is_explained() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    table = README.split("## Why each dependency is there", 1)[1].split("\n## ", 1)[0].lower()
    explained = {re.split(r"[\s\[]", cell.strip())[0] for row in table.splitlines() if row.startswith("|")
                 for cell in re.split(r"[,(]", row.split("|")[1])}
    names = {re.split(r"[<>=\[ ]", spec, maxsplit=1)[0].lower() for spec in wanted}
    missing = sorted(n for n in names if n not in explained and n.split("-")[0] not in explained)
    assert not missing, f"pyproject.toml has dependencies the README does not explain: {missing}"


def _leaf_parsers() -> dict[str, argparse.ArgumentParser]:
    leaves: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            leaves[path] = parser
        for name, child in (subs[0].choices.items() if subs else ()):
            walk(child, f"{path} {name}".strip())

    walk(build_parser(), "")
    return leaves


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"}


def _named(synopsis: str, leaves: dict[str, argparse.ArgumentParser]) -> tuple[str, list[str]]:
    """The subcommand a synopsis names (its longest known prefix) and the options it gives."""
    words = synopsis.split()
    for n in range(len(words), 0, -1):
        if " ".join(words[:n]) in leaves:
            return " ".join(words[:n]), re.findall(r"--[a-z][a-z-]*", synopsis)
    return "", []


def test_every_command_in_the_reference_exists_with_its_options() -> None:
    leaves = _leaf_parsers()
    assert synopses()
    for synopsis in synopses():
        name, options = _named(synopsis, leaves)
        assert name, f"README names a subcommand the program does not have: ppda-tracker {synopsis}"
        unknown = set(options) - _options(leaves[name])
        assert not unknown, f"`ppda-tracker {name}` has no option {sorted(unknown)} (README: {synopsis})"


def test_every_command_and_option_of_the_program_is_in_the_reference() -> None:
    leaves = _leaf_parsers()
    told: dict[str, set[str]] = {}
    for synopsis in synopses():
        name, options = _named(synopsis, leaves)
        told.setdefault(name, set()).update(options)
        kinds = re.match(r"(\w[\w-]*)(?: ([\w|-]+))?", synopsis)
        if kinds and kinds.group(2) and "|" in kinds.group(2):  # `import workforce|cases|notices`
            for alternative in kinds.group(2).split("|"):
                told.setdefault(f"{kinds.group(1)} {alternative}", set()).update(options)
    for name, parser in leaves.items():
        assert name in told, f"the README's command list misses `ppda-tracker {name}`"
        missing = _options(parser) - told[name]
        assert not missing, f"the README's command list misses {sorted(missing)} of `ppda-tracker {name}`"


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A folder to run the README's commands in, like a checkout (its .venv and tests), with its own
    data directory and no OS keyring."""
    home = tmp_path_factory.mktemp("readme")
    for name in (".venv", "tests", "app"):
        (home / name).symlink_to(ROOT / name)
    env = {**os.environ, "PPDA_DATA_DIR": str(home / "data"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    for name in ("PPDA_DB_URL", "PPDA_USER", "PPDA_PASSWORD"):
        env.pop(name, None)
    return home, env


def _argv(command: str) -> tuple[list[str], dict[str, str]]:
    """The command as a list, without xvfb-run (the tests run Qt offscreen) and its VAR=value prefix."""
    words = shlex.split(command)
    extra = {}
    while words and re.match(r"^[A-Z_]+=", words[0]):
        key, value = words.pop(0).split("=", 1)
        extra[key] = value
    if words[0] == "xvfb-run":  # run offscreen instead; the README says where xvfb-run comes from
        assert "xvfb-run` is in the Debian package `xvfb`" in README
        words = words[words.index("-s") + 2:] if "-s" in words else words[1:]
    return words, extra


def _run(command: str, cwd: Path, env: dict[str, str], *, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    argv, extra = _argv(command)
    result = subprocess.run(argv, cwd=cwd, env={**env, **extra}, capture_output=True, text=True, timeout=timeout,
                            check=False)
    assert result.returncode == 0, f"`{command}` exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _with_help(command: str) -> str:
    """The command with --help, its placeholders (DIR, FILE.csv) and their options left out."""
    kept: list[str] = []
    for word in shlex.split(command):
        if re.fullmatch(r"[A-Z]+(\.\w+)?", word):
            if kept and kept[-1].startswith("--"):
                kept.pop()
            continue
        kept.append(word)
    return shlex.join([*kept, "--help"])


def test_the_readme_s_script_and_python_commands_start(newcomer: tuple[Path, dict[str, str]]) -> None:
    """Every `bash …` and `python …` command the README gives starts: scripts from the checkout, the
    screenshot and walk-through modules with the project's Python (bare `python` has no PySide6)."""
    home, env = newcomer
    commands = sorted({c for c in inline_commands() + block_commands()
                       if "ppda-tracker --db" not in c and "pip install" not in c})
    assert any(c.startswith("bash scripts/start") for c in commands)
    assert not [c for c in commands if re.match(r"(xvfb-run .*?)?\bpython ", c) and ".venv/bin/python" not in c], \
        "a README command uses a bare `python`, which has none of the program's packages"
    for command in commands:
        if command.startswith("bash installer/smoke"):
            result = subprocess.run(["bash", "installer/smoke", str(home / "no-bundle")], cwd=ROOT,
                                    capture_output=True, text=True, check=False)
            assert result.returncode == 2 and "No bundle" in result.stderr  # it checks a built bundle
            continue
        cwd = ROOT if command.startswith("bash ") else home
        _run(_with_help(command), cwd, env)


@pytest.mark.slow  # the demonstration database: about a minute
def test_the_demo_commands_work_as_written(newcomer: tuple[Path, dict[str, str]]) -> None:
    """The README's "try it" commands, as written: the demo database, the window on it (started
    offscreen and left waiting at its sign-in), and the command-line example on it."""
    home, env = newcomer
    commands = [c for c in block_commands() if "sqlite:///demo.db" in c]
    assert len(commands) == 3, commands
    build, window, example = commands
    made = _run(build, home, env)
    assert "password" in made.stdout.lower() and "supervisor1" in made.stdout
    assert re.search(r"\(`demo` lists every account it makes", README)
    argv, _ = _argv(window)
    started = subprocess.Popen(argv, cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and started.poll() is None:
            time.sleep(0.5)
        assert started.poll() is None, f"the window exited {started.returncode}: {started.communicate()}"
    finally:
        started.kill()
        _out, err = started.communicate()
    assert "Traceback" not in err, err
    shown = _run(example, home, env)
    assert shown.stdout.strip(), "the example printed nothing"


def test_the_wheel_command_is_the_one_the_wheel_test_runs() -> None:
    """The README's wheel commands are those tests/integration/test_wheel.py runs (build, then
    `pip install` in a fresh environment, then init, demo and an export)."""
    assert ".venv/bin/python -m pip wheel --no-deps -w dist ." in inline_commands()
    wheel_test = (ROOT / "tests" / "integration" / "test_wheel.py").read_text(encoding="utf-8")
    assert '"pip", "wheel", "--no-deps"' in wheel_test and '"install"' in wheel_test

