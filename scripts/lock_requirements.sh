#!/usr/bin/env bash
# Pin every dependency the Lambda packages install, with hashes, so a build next month is the
# same build. Edit the top-level ranges in requirements.in; this writes requirements.txt beside
# it, which `sam build` and `make setup` install. Existing pins are kept unless a range excludes
# them: pass --upgrade (or --upgrade-package NAME) to move them.
#   scripts/lock_requirements.sh [--upgrade | --upgrade-package NAME ...]
# One resolution for every platform and for Python 3.11+ (development) and 3.12 (Lambda), with one
# version of each package for both (--fork-strategy fewest), so the tests run on exactly the
# versions that ship. boto3 is not pinned: the Lambda runtime brings it.
set -euo pipefail
cd "$(dirname "$0")/.."
UV="${UV:-.venv/bin/uv}"
for dir in layers/madoguchi functions/indexer; do
  echo "== $dir/requirements.txt"
  "$UV" pip compile "$dir/requirements.in" --output-file "$dir/requirements.txt" \
    --universal --python-version 3.11 --fork-strategy fewest --generate-hashes --quiet \
    --custom-compile-command "scripts/lock_requirements.sh" "$@"
done
