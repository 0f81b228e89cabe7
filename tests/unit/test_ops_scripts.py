"""The CI checks around the build: package sizes against Lambda's limit, checkov's skip list."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scripts import check_package_sizes as sizes
from scripts import policy_scan

MIB = 1024 * 1024


def built(tmp_path: Path, code_mib: float, layer_mib: float, model_mib: float = 0) -> Path:
    """A build folder shaped like `sam build` output; files are sparse, so they cost no disk."""
    template = {
        "Globals": {"Function": {"Layers": [{"Ref": "CoreLayer"}]}},
        "Resources": {
            "CoreLayer": {
                "Type": "AWS::Serverless::LayerVersion",
                "Properties": {"ContentUri": "CoreLayer"},
            },
            "SearchFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"CodeUri": "SearchFunction"},
            },
        },
    }
    for folder, mib in (("SearchFunction", code_mib), ("CoreLayer/python", layer_mib)):
        (tmp_path / folder).mkdir(parents=True)
        with open(tmp_path / folder / "blob.bin", "wb") as handle:
            handle.truncate(int(mib * MIB))
    if model_mib:
        with open(tmp_path / "SearchFunction" / "model.bin", "wb") as handle:
            handle.truncate(int(model_mib * MIB))
    (tmp_path / "template.yaml").write_text(yaml.safe_dump(template), encoding="utf-8")
    return tmp_path


def test_function_and_inherited_layer_are_added_up(tmp_path, capsys):
    assert sizes.main(built(tmp_path, 114.8, 111.0)) == 0
    out = capsys.readouterr().out
    assert "SearchFunction total" in out and "225.8 MiB" in out


def test_a_model_that_pushes_a_function_over_250_mib_fails(tmp_path, capsys):
    assert sizes.main(built(tmp_path, 114.8, 111.0, model_mib=72)) == 1
    assert "OVER THE LIMIT" in capsys.readouterr().out


def test_no_build_is_an_error_not_a_pass(tmp_path):
    assert sizes.main(tmp_path) == 1


def test_scan_accepts_exactly_the_listed_findings():
    accepted = policy_scan.allowed({"CKV_X": {"resources": ["A", "B"], "why": "reason"}})
    assert policy_scan.compare({("CKV_X", "A"), ("CKV_X", "B")}, accepted) == []
    unlisted = policy_scan.compare({("CKV_X", "A"), ("CKV_X", "B"), ("CKV_Y", "A")}, accepted)
    assert unlisted == ["not allowed: CKV_Y on A"]
    stale = policy_scan.compare({("CKV_X", "A")}, accepted)
    assert stale == ["stale skip (passes now): CKV_X on B"]


def test_a_skip_without_a_reason_is_refused():
    with pytest.raises(SystemExit, match="no reason"):
        policy_scan.allowed({"CKV_X": {"resources": ["A"], "why": " "}})


def test_every_skip_in_the_repository_has_a_reason_and_resources():
    skips = yaml.safe_load(policy_scan.SKIPS.read_text(encoding="utf-8"))
    assert skips and policy_scan.allowed(skips)
    assert all(entry["resources"] and entry["rule"] for entry in skips.values())
