"""The Makefile builds the virtual environment with the distribution's Python 3.11 where the
machine has one, the interpreter a real host runs (docs/how-to/deploy.md), and with whatever
`python3` is elsewhere (ADR 0070). An explicit PYTHON= still wins."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION_PYTHON = Path("/usr/bin/python3.11")


def _make(*arguments: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        [make, "--no-print-directory", "-f", str(ROOT / "Makefile"), *arguments],
        cwd=ROOT,
        # As a fresh shell would run it: no PYTHON, and no flags from a make running the suite.
        env={k: v for k, v in os.environ.items() if k not in ("PYTHON", "MAKEFLAGS", "MAKELEVEL")},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _make_python(*overrides: str) -> str:
    return _make("--eval", "print-python: ; @echo $(PYTHON)", "print-python", *overrides)


def test_the_distributions_python_is_chosen_where_there_is_one():
    expected = str(DISTRIBUTION_PYTHON) if DISTRIBUTION_PYTHON.exists() else "python3"
    assert _make_python() == expected


def test_an_explicit_python_wins():
    assert _make_python("PYTHON=/opt/elsewhere/python3") == "/opt/elsewhere/python3"


def test_an_environment_built_by_another_python_is_built_again(tmp_path):
    """Only the step that decides is run, on an environment of the test's own."""
    venv = tmp_path / "venv"
    mark = venv / "installed-here"

    def decide(python: str) -> None:
        _make(f"VENV={venv}", f"PYTHON={python}", f"{venv}/.interpreter")

    decide("/usr/bin/python-one")
    assert (venv / ".interpreter").read_text().strip() == "/usr/bin/python-one"
    mark.write_text("packages")
    decide("/usr/bin/python-one")
    assert mark.exists()  # the same interpreter: kept as it is
    decide("/usr/bin/python-two")
    assert not mark.exists()  # another interpreter: removed, to be built again
    assert (venv / ".interpreter").read_text().strip() == "/usr/bin/python-two"
