#!/usr/bin/env bash
# Lint the addons and tests: ruff (check + format) and pylint-odoo with the OCA check set.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
# The pinned linters of requirements-lint.txt (the versions .pre-commit-config.yaml uses).
if ! PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install -q --disable-pip-version-check -r requirements-lint.txt \
        >/dev/null 2>&1 && ! "$PYTHON" -m ruff --version >/dev/null 2>&1; then
    echo "[crm-std] ERROR: cannot install the linters of requirements-lint.txt" >&2
    exit 1
fi
rc=0
ADDON_DIRS=()
for manifest in */__manifest__.py; do ADDON_DIRS+=("$(dirname "$manifest")"); done
"$PYTHON" -m ruff check "${ADDON_DIRS[@]}" tests data || rc=1
"$PYTHON" -m ruff format --check "${ADDON_DIRS[@]}" tests data || rc=1
# the OCA template's mandatory and optional checks (.pylintrc holds both)
"$PYTHON" -m pylint --rcfile=.pylintrc "${ADDON_DIRS[@]}" || rc=1
[ $rc = 0 ] && echo "[crm-std] lint clean"
exit $rc
