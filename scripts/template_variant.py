"""Write a copy of the template with one parameter's default changed, so the linters and the
policy scan also see the resources a condition leaves out by default (FloodProtection=waf).

Usage: python scripts/template_variant.py template.yaml PARAMETER VALUE OUT.yaml
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def variant(text: str, parameter: str, value: str) -> str:
    """The template text with `parameter`'s Default set to `value` (quoted)."""
    block = re.search(rf"(?m)^  {re.escape(parameter)}:\n(?:    .*\n)*?    Default: .*\n", text)
    if block is None:
        raise SystemExit(f"parameter {parameter} with a Default not found")
    changed = re.sub(r"(?m)^    Default: .*$", f'    Default: "{value}"', block.group(0))
    return text[: block.start()] + changed + text[block.end() :]


def main(source: str, parameter: str, value: str, target: str) -> None:
    """Write the variant next to the build output."""
    text = Path(source).read_text(encoding="utf-8")
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(variant(text, parameter, value), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
