"""Print each built function's unzipped size with its layers, and fail above Lambda's limit.

Lambda refuses a function whose code and layers together exceed 250 MiB unzipped. This reads
the template `sam build` wrote, so it counts whatever each function ships (its own
requirements, the layers it names or inherits from Globals, model files, ...) without a list
of its own to keep up to date.

Usage: python scripts/check_package_sizes.py [BUILD_DIR]   (default .aws-sam/build)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

LIMIT_BYTES = 250 * 1024 * 1024  # code + all layers, unzipped
MIB = 1024 * 1024


def tree_bytes(root: Path) -> int:
    """Bytes of the regular files under `root`, as they would be unzipped."""
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
    return total


def packages(build_dir: Path) -> list[tuple[str, list[tuple[str, int]]]]:
    """For each function in the built template: its parts (name, bytes), code first."""
    template = yaml.safe_load((build_dir / "template.yaml").read_text(encoding="utf-8"))
    resources = template.get("Resources", {})
    global_layers = template.get("Globals", {}).get("Function", {}).get("Layers", [])
    result = []
    for name, resource in resources.items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties", {})
        if props.get("PackageType") == "Image":
            continue
        parts = [(f"{name} (code)", tree_bytes(build_dir / props["CodeUri"]))]
        for layer in props.get("Layers", global_layers):
            ref = layer.get("Ref") if isinstance(layer, dict) else None
            content = resources.get(ref, {}).get("Properties", {}).get("ContentUri")
            if not isinstance(content, str):
                raise SystemExit(f"{name}: cannot measure layer {layer!r} (not built here)")
            parts.append((f"{ref} (layer)", tree_bytes(build_dir / content)))
        result.append((name, parts))
    return result


def main(build_dir: Path) -> int:
    """Print the table; 1 when a function is over the limit or nothing was built."""
    if not (build_dir / "template.yaml").is_file():
        print(f"{build_dir}/template.yaml not found: run `make build` first", file=sys.stderr)
        return 1
    found = packages(build_dir)
    if not found:
        print("no functions in the built template", file=sys.stderr)
        return 1
    over = []
    print(f"Unzipped sizes (Lambda limit {LIMIT_BYTES / MIB:.0f} MiB for code + layers):")
    for function, parts in found:
        total = sum(size for _, size in parts)
        for part, size in parts:
            print(f"  {part:<36} {size / MIB:8.1f} MiB")
        verdict = "OVER THE LIMIT" if total > LIMIT_BYTES else "ok"
        headroom = (LIMIT_BYTES - total) / MIB
        print(f"  {function + ' total':<36} {total / MIB:8.1f} MiB  {headroom:+.1f} MiB  {verdict}")
        if total > LIMIT_BYTES:
            over.append(function)
    if over:
        print(f"too large for Lambda: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".aws-sam/build")))
