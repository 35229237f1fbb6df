"""Every generated section of the docs: which file, which markers, which generator. `standing docs`
rewrites them; a test fails when one is stale."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cli.docs.architecture import ROOT, module_map_markdown
from cli.docs.diagrams import machines_markdown
from cli.docs.policy import policy_markdown
from domain.infra.config import settings_markdown


@dataclass(frozen=True)
class Section:
    file: str
    marker: str
    generate: Callable[[], str]

    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"(<!-- {self.marker}:begin -->\n)(.*?)(<!-- {self.marker}:end -->)", re.S)

    def current(self) -> str:
        """The text between the markers as committed."""
        match = self.pattern().search((ROOT / self.file).read_text(encoding="utf-8"))
        if match is None:
            raise LookupError(f"{self.file} has no {self.marker} section")
        return match.group(2)

    def write(self) -> bool:
        """Regenerate the section in place; True when it changed."""
        path: Path = ROOT / self.file
        text = path.read_text(encoding="utf-8")
        fresh = self.pattern().sub(lambda m: m.group(1) + self.generate() + m.group(3), text)
        path.write_text(fresh, encoding="utf-8")
        return fresh != text


SECTIONS = [
    Section("README.md", "diagrams", machines_markdown),
    Section("README.md", "settings", settings_markdown),
    Section("docs/policy.md", "policy", policy_markdown),
    Section("docs/architecture.md", "modules", module_map_markdown),
]
