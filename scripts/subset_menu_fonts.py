"""Build the subset fonts the translated rich menus are drawn with (their output is checked in).

BIZ UDPGothic draws Japanese and plain Latin. Other languages' labels need more: Hangul, simplified
Chinese, Vietnamese tone letters and Devanagari. The full Noto fonts are tens of megabytes, too
much for the indexer's package, so each is cut down with fontTools to what menu labels use:

- Noto Sans CJK SC Bold: the GB2312 hanzi, the KS X 1001 Hangul syllables, CJK punctuation and
  full-width forms (one file serves Chinese and Korean);
- Noto Sans Bold: Latin with Vietnamese, Portuguese, Spanish, Tagalog and Indonesian letters;
- Noto Sans Devanagari Bold: Devanagari (Nepali), with its shaping tables kept.

Sources: the Debian packages fonts-noto-cjk and fonts-noto-core (`apt-get install fonts-noto-cjk
fonts-noto-core`). Run `python scripts/subset_menu_fonts.py` and commit the files it prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "layers" / "madoguchi" / "madoguchi" / "richmenu" / "fonts"
CJK_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
CJK_FACE = "Noto Sans CJK SC"
LATIN_SOURCE = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
DEVANAGARI_SOURCE = Path("/usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf")
COVERAGE = "coverage.json"  # which characters each bundled font has, read at run time
BUDGET_BYTES = 6_000_000  # what the indexer's package can still take for fonts

COMMON = (
    list(range(0x20, 0x7F))  # ASCII
    + list(range(0x2000, 0x206F))  # general punctuation
    + [0x00A0, 0x00B7, 0x25CC, 0x2026, 0x00D7]
)
LATIN = (
    COMMON
    + list(range(0xA0, 0x250))  # Latin-1, Extended-A and -B (ã, ç, ñ, ơ, ư, đ…)
    + list(range(0x300, 0x370))  # combining accents (Vietnamese typed with separate marks)
    + list(range(0x1EA0, 0x1F00))  # Vietnamese letters with tone marks
    + [0x20AB, 0x20AC]  # ₫ €
)
DEVANAGARI = (
    COMMON + list(range(0x900, 0x980)) + list(range(0xA8E0, 0xA900)) + [0x200C, 0x200D, 0x0964]
)


def _decoded(codec: str, lead: range, trail: range) -> list[int]:
    """Every character of a double-byte character set's block, decoded."""
    found: list[int] = []
    for high in lead:
        for low in trail:
            try:
                found.extend(ord(c) for c in bytes((high, low)).decode(codec))
            except UnicodeDecodeError:
                continue
    return found


def cjk_codepoints() -> list[int]:
    """GB2312 (the 6,763 hanzi and its symbols), KS X 1001's 2,350 Hangul syllables and the
    CJK punctuation and full-width forms labels use."""
    hanzi = _decoded("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
    hangul = [c for c in _decoded("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF)) if c >= 0xAC00]
    jamo = list(range(0x3131, 0x318F))  # compatibility jamo (ㄱ, ㅏ) typed alone
    punctuation = list(range(0x3000, 0x3040)) + list(range(0xFF01, 0xFF5F))
    return sorted(set(COMMON + hanzi + hangul + jamo + punctuation))


def _options(*, layout: bool) -> subset.Options:
    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright, licence and font names
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # Pillow renders at large sizes, where hints change nothing
    options.desubroutinize = False
    # Devanagari needs its shaping features (conjuncts, vowel signs); CJK and Latin need few.
    options.layout_features = ["*"] if layout else ["kern", "liga", "ccmp", "locl", "mark", "mkmk"]
    return options


def _subset(font: TTFont, codepoints: list[int], out: Path, *, layout: bool = False) -> int:
    subsetter = subset.Subsetter(_options(layout=layout))
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.save(out)
    return out.stat().st_size


def _cjk_face() -> TTFont:
    for face in TTCollection(CJK_SOURCE, recalcTimestamp=False).fonts:
        if face["name"].getDebugName(1) == CJK_FACE:
            return face
    raise SystemExit(f"{CJK_FACE} is not in {CJK_SOURCE}")


def ranges(codepoints: set[int]) -> list[list[int]]:
    """Sorted [first, last] runs of consecutive code points (a compact cmap)."""
    runs: list[list[int]] = []
    for code in sorted(codepoints):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return runs


def write_coverage(folder: Path) -> Path:
    """coverage.json: for every font file in the folder, the characters it has glyphs for, so
    rendering picks a font per character without fontTools at run time."""
    coverage = {
        path.name: ranges(set(TTFont(path).getBestCmap()))
        for path in sorted(folder.iterdir())
        if path.suffix in (".ttf", ".otf")
    }
    out = folder / COVERAGE
    out.write_text(json.dumps(coverage, separators=(",", ":")) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FONTS)
    args = parser.parse_args(argv)
    for source in (CJK_SOURCE, LATIN_SOURCE, DEVANAGARI_SOURCE):
        if not source.exists():
            print(f"missing {source}: apt-get install fonts-noto-cjk fonts-noto-core")
            return 1
    args.out.mkdir(parents=True, exist_ok=True)
    made = {
        "NotoSansCJKsc-Bold-menu.otf": _subset(
            _cjk_face(), cjk_codepoints(), args.out / "NotoSansCJKsc-Bold-menu.otf"
        ),
        "NotoSans-Bold-menu.ttf": _subset(
            TTFont(LATIN_SOURCE, recalcTimestamp=False), LATIN, args.out / "NotoSans-Bold-menu.ttf"
        ),
        "NotoSansDevanagari-Bold-menu.ttf": _subset(
            TTFont(DEVANAGARI_SOURCE, recalcTimestamp=False),
            DEVANAGARI,
            args.out / "NotoSansDevanagari-Bold-menu.ttf",
            layout=True,
        ),
    }
    made[COVERAGE] = write_coverage(args.out).stat().st_size
    for name, size in made.items():
        print(f"{name}: {size:,} bytes")
    total = sum(made.values())
    print(f"total: {total:,} bytes (budget {BUDGET_BYTES:,})")
    return 0 if total <= BUDGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
