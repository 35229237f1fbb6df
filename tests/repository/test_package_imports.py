"""Each domain package says in its docstring which packages it may import ("May import: …", and
"`module` may also import: …" for a module with a wider remit). This holds the code to those words, so the
map a reader trusts is the map the code follows."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
PACKAGES = sorted(p.name for p in DOMAIN.iterdir() if (p / "__init__.py").exists() and p.name != "migrations")


def _listed(text: str) -> set[str]:
    """Package names in "a, b (why), c": what is in parentheses explains, it names nothing."""
    text = re.sub(r"\([^)]*\)", "", text)
    return {name.strip(" `.") for name in text.split(",") if name.strip(" `.")}


def allowed(package: str) -> tuple[set[str], dict[str, set[str]]]:
    """(what the package may import, what each named module of it may also import), from its docstring."""
    doc = ast.get_docstring(ast.parse((DOMAIN / package / "__init__.py").read_text())) or ""
    found = re.search(r"May import: ([^.\n]*)", doc)
    assert found, f"domain/{package}/__init__.py does not say what it may import"
    may = set() if found.group(1).strip() == "nothing" else _listed(found.group(1))
    wider = {m: _listed(rest) for m, rest in re.findall(r"`(\w+)` may also import: ([^\n]*)", doc)}
    return may, wider


def domain_imports(path: Path) -> set[str]:
    """The domain packages a module imports, at the top or inside functions."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        names |= {m.split(".")[1] for m in modules if m.startswith("domain.") and m.count(".") >= 1}
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_a_package_imports_only_what_its_docstring_allows(package):
    may, wider = allowed(package)
    offenders = {}
    for path in (DOMAIN / package).rglob("*.py"):
        extra = wider.get(path.stem, set())
        wrong = domain_imports(path) - may - extra - {package}
        if wrong:
            offenders[str(path.relative_to(DOMAIN.parent))] = sorted(wrong)
    assert offenders == {}, "update the code or the docstring's 'May import:' line"


def test_the_parser_reads_a_docstring_the_way_it_is_written():
    may, wider = allowed("deadlines")
    assert may == {"kernel", "infra", "models"} and "standing" in wider["registry"]
