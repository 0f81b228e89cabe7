#!/usr/bin/env bash
# `sam build` for the python3.12 runtime: SAM runs pip with a Python 3.12 from PATH, so find one
# (plain python3.12, or a pyenv-installed 3.12.x) or say exactly what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SAM="${SAM:-.venv-sam/bin/sam}"
export SAM_CLI_TELEMETRY=0

if ! python3.12 --version >/dev/null 2>&1 && command -v pyenv >/dev/null 2>&1; then
  found="$(pyenv versions --bare 2>/dev/null | grep -E '^3\.12(\.[0-9]+)?$' | tail -n 1 || true)"
  if [ -n "$found" ]; then
    # Keep the current Python first; add 3.12 so the python3.12 shim resolves.
    export PYENV_VERSION="$(pyenv version-name):$found"
  fi
fi
if ! python3.12 --version >/dev/null 2>&1; then
  cat >&2 <<'MSG'
make build: no Python 3.12 found.
  sam build packages the functions for the python3.12 Lambda runtime and needs `python3.12` on PATH.
  Install it (for example `pyenv install 3.12` or your OS package `python3.12`) and run make build again.
MSG
  exit 1
fi
echo "sam build with $(python3.12 --version)"
"$SAM" build --template-file template.yaml "$@"
