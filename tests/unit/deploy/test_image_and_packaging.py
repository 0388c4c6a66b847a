"""The image ships the platform and nothing else (no benchmarks, no tests, no local state), runs as a
numeric non-root user and keeps the documents' font; every dependency is pinned in constraints.txt,
which `make install` and the image install with; Python 3.11 to 3.13 are declared."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).parents[3]


def _dockerfile() -> str:
    return (ROOT / "deploy" / "Dockerfile").read_text()


def _ignored() -> set[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_the_image_ships_neither_benchmarks_nor_tests():
    copied = re.findall(r"^COPY\s+(.+?)\s+\S+$", _dockerfile(), flags=re.M)
    sources = {s for line in copied for s in line.split()}
    assert "bench" not in sources and "tests" not in sources and "." not in sources
    assert {"bench", "tests", ".git", ".venv", "var", "**/__pycache__"} <= _ignored()


def test_the_image_carries_every_package_the_processes_run():
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {p.rstrip("*") for p in include} - {"bench"}
    copied = set(re.findall(r"^COPY\s+(\S+)\s+\1$", _dockerfile(), flags=re.M))
    assert packages <= copied, packages - copied  # navigator too: the families' pages run from this image


def test_the_image_runs_as_a_numeric_non_root_user_and_keeps_the_documents_font():
    text = _dockerfile()
    users = re.findall(r"^USER\s+(\S+)$", text, flags=re.M)
    assert users and re.fullmatch(r"[1-9]\d*(:\d+)?", users[-1])  # numeric: runAsNonRoot can check it
    assert "fonts-dejavu-core" in text  # billing's contract documents: it does not start without the font
    assert "-c constraints.txt" in text


def _dependencies() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return [Requirement(r) for r in project["dependencies"] + [r for group in extras.values() for r in group]]


def _pins() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_every_dependency_is_pinned_and_the_pin_satisfies_pyproject():
    pins = _pins()
    for requirement in _dependencies():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in constraints.txt: `make constraints`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (requirement, pins[name])


def test_make_installs_from_the_constraints():
    makefile = (ROOT / "Makefile").read_text()
    install = re.search(r"^\$\(STAMP\):.*?\n((?:\t.*\n)+)", makefile, flags=re.M)
    assert install and "constraints.txt" in install.group(0).splitlines()[0]
    assert "pip install --quiet -c constraints.txt -e" in install.group(1)


def test_python_3_11_to_3_13_are_supported():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    from packaging.specifiers import SpecifierSet

    supported = SpecifierSet(project["requires-python"])
    assert all(v in supported for v in ("3.11", "3.12", "3.13")) and "3.10" not in supported
    for minor in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {minor}" in project["classifiers"]
