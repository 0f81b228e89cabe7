"""Expand the SAM template into plain CloudFormation offline, so cfn-lint sees what deploys.

Usage: python scripts/transform_template.py template.yaml OUT.json
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

# Local code folders become placeholder S3 locations, as `sam package` would make them.
CODE_PROPERTIES = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
}


class NoManagedPolicies:
    """The template names managed policies by ARN only, so no IAM lookup is needed."""

    def load(self) -> dict[str, str]:
        """An empty name-to-ARN map (the real loader would call IAM)."""
        return {}


def packaged(template: dict) -> dict:
    """The template with each local code path replaced by an S3 URI."""
    for resource in template.get("Resources", {}).values():
        prop = CODE_PROPERTIES.get(resource.get("Type"))
        if prop and isinstance(resource["Properties"].get(prop), str):
            resource["Properties"][prop] = "s3://madoguchi-artifacts/" + resource["Properties"][
                prop
            ].strip("/")
    return template


def transformed(source: str | Path) -> dict:
    """The plain CloudFormation template SAM would deploy for the template at `source`."""
    # The translator fills pseudo parameters from a session; any region will do offline.
    os.environ.setdefault("AWS_DEFAULT_REGION", "ap-northeast-1")
    template = packaged(yaml_parse(Path(source).read_text(encoding="utf-8")))
    return transform(template, {}, NoManagedPolicies())


def main(source: str, target: str) -> None:
    """Write the transformed template as JSON."""
    result = transformed(source)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
