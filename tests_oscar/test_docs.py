"""docs/oscar.md, followed to the letter: a fresh Django project becomes an Oscar shop, then gets
jsg_privacy; migrate never refuses, check is clean, check --deploy says nothing of jsg_privacy's,
and the page's example of changing a declaration loads."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "oscar.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
#: Set up by this test's own environment (the virtualenv with everything installed).
SKIPPED = ("python -m venv", ". .venv/bin/activate", "pip install")


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(DOC.read_text())]


class Project:
    """A shell that follows the page: its folder and exported variables carry over."""

    def __init__(self, root: Path) -> None:
        self.cwd = root
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env.pop("DATABASE_URL", None)
        self.env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{self.env['PATH']}"
        self.outputs: list[tuple[str, str]] = []

    def sh(self, script: str) -> None:
        lines = [line for line in script.splitlines() if not line.startswith(SKIPPED)]
        state = self.cwd / ".state"
        wrapped = "set -e\n" + "\n".join(lines) + f"\npwd > {state}\nexport -p >> {state}\n"
        done = subprocess.run(  # noqa: S603 -- the page's own commands
            ["/bin/bash", "-c", wrapped],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"{script}\n{done.stdout}\n{done.stderr}"
        self.outputs.append((script, done.stdout + done.stderr))
        first, *exports = state.read_text().splitlines()
        self.cwd = Path(first)
        for line in exports:  # declare -x NAME="value"
            name, _, value = line.removeprefix("declare -x ").partition("=")
            if value:
                self.env[name] = shlex.split(value)[0]
        state.unlink()

    def write(self, code: str) -> None:
        header = code.splitlines()[0]
        path = self.cwd / header.removeprefix("# ").split(":")[0]
        if "at the end" in header:
            path.write_text(path.read_text() + "\n" + code)
        else:
            path.write_text(code)

    def output_of(self, command: str) -> str:
        return next(out for script, out in reversed(self.outputs) if command in script)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    shell = Project(tmp_path_factory.mktemp("fresh"))
    for language, code in blocks():
        if language == "sh":
            shell.sh(code)
        elif language == "python" and code.startswith("# frobshop/privacy.py"):
            continue  # the example of changing a declaration: tried below
        elif language == "python":
            shell.write(code)
    return shell


def test_every_step_runs_and_check_is_clean(project):
    check = project.output_of("python manage.py check\n")
    assert "jsg_privacy.E" not in check
    assert "jsg_privacy.W007" not in check  # Oscar's data is declared
    assert "jsg_privacy_oscar" not in check
    deploy = project.output_of("check --deploy")
    assert "(jsg_privacy.E" not in deploy
    assert "(jsg_privacy.W" not in deploy
    assert "Visited" in project.output_of("privacy_scan_cookies")


def test_the_example_of_changing_a_declaration_loads(project):
    example = next(code for lang, code in blocks() if code.startswith("# frobshop/privacy.py"))
    (project.cwd / "frobshop" / "privacy.py").write_text(example)
    settings = project.cwd / "frobshop" / "settings.py"
    settings.write_text(settings.read_text() + '\nJSG_PRIVACY_MODULES = ["frobshop.privacy"]\n')
    project.sh(
        "python manage.py check --deploy --tag jsg_privacy\n"
        "python manage.py shell -c "
        '"from jsg_privacy.registry import registry; '
        "print(registry.sources['reviews.ProductReview'].retention.period)\"\n"
    )
    assert "(jsg_privacy.E" not in project.outputs[-1][1]
    assert "(jsg_privacy.W" not in project.outputs[-1][1]
    assert "2 years" in project.outputs[-1][1]
