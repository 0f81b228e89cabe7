#!/usr/bin/env bash
# Lint template.yaml three ways. Only the third, cfn-lint on the template after the SAM
# transform, sees the resources SAM generates, and so catches a circular dependency (E3004).
#   1. sam validate --lint           (SAM CLI, in its own venv .venv-sam: it pins old packages)
#   2. cfn-lint template.yaml
#   3. cfn-lint on the transformed template (scripts/transform_template.py, offline)
# Usage: scripts/lint_template.sh [TEMPLATE]
set -euo pipefail
cd "$(dirname "$0")/.."
TEMPLATE="${1:-template.yaml}"
SAM_VENV=.venv-sam
TRANSFORMED=build/template.transformed.json
export SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-ap-northeast-1}"

if [ ! -x "$SAM_VENV/bin/sam" ]; then
  echo "== setting up $SAM_VENV (aws-sam-cli, from requirements-sam.txt)"
  python3 -m venv "$SAM_VENV"
  "$SAM_VENV/bin/pip" install --quiet -r requirements-sam.txt
fi

echo "== sam validate --lint $TEMPLATE"
"$SAM_VENV/bin/sam" validate --lint --template-file "$TEMPLATE"

echo "== cfn-lint $TEMPLATE"
.venv/bin/cfn-lint "$TEMPLATE"

echo "== cfn-lint on the transformed template ($TRANSFORMED)"
"$SAM_VENV/bin/python" scripts/transform_template.py "$TEMPLATE" "$TRANSFORMED"
# W1020: the transform itself leaves a Fn::Sub without variables in generated resources.
# W2001: the transform resolves WebhookDeployment into the generated CodeDeploy deployment group
# itself (DeploymentPreference.Type), so the transformed template no longer refers to it (the
# untransformed template, linted above, does).
.venv/bin/cfn-lint --ignore-checks W1020 W2001 -- "$TRANSFORMED"

# The flood-protection resources exist only with FloodProtection=waf: lint that variant too.
echo "== cfn-lint with FloodProtection=waf (template and transformed)"
.venv/bin/python scripts/template_variant.py "$TEMPLATE" FloodProtection waf build/template.waf.yaml
.venv/bin/cfn-lint build/template.waf.yaml
"$SAM_VENV/bin/python" scripts/transform_template.py build/template.waf.yaml build/template.waf.json
.venv/bin/cfn-lint --ignore-checks W1020 W2001 -- build/template.waf.json

# The third check must be able to fail: refer to the bucket by its ARN in the indexer's policy
# (the trap the template avoids) and expect E3004.
echo "== self-check: the transformed lint catches a bucket referenced from the indexer policy"
TRAP=build/template.trap.yaml
awk '/Sid: ReadUploadedWorkbooks/ { planted = 1 }
     planted == 1 && /Resource:/ { sub(/Resource:.*/, "Resource: !Sub \"${FaqBucket.Arn}/${UploadPrefix}*\""); planted = 2; print; skip = 2; next }
     skip > 0 { skip--; next }
     { print }' "$TEMPLATE" >"$TRAP"
if cmp -s "$TEMPLATE" "$TRAP"; then
  echo "self-check could not plant the trap: the indexer's upload-read statement changed" >&2
  exit 1
fi
"$SAM_VENV/bin/python" scripts/transform_template.py "$TRAP" build/template.trap.json
TRAP_FINDINGS="$(.venv/bin/cfn-lint --ignore-checks W1020 -- build/template.trap.json || true)"
if grep -q E3004 <<<"$TRAP_FINDINGS"; then
  echo "   E3004 found, as it should be"
else
  echo "self-check failed: cfn-lint did not report the planted circular dependency" >&2
  exit 1
fi
echo "template lint: ok"
