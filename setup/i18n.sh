#!/usr/bin/env bash
# Regenerate each addon's i18n/<addon>.pot from a database where the addons are
# installed with their demo data, and merge new terms into i18n/zh_CN.po (existing
# translations kept; new ones left empty for a translator).
# The terms of demo records are exported too (Odoo loads demo data only with
# --with-demo), and so are the translatable fields an addon adds to other modules'
# records (e.g. the stage guidance its demo writes on crm's stages), which Odoo's
# export leaves out because those records' external ids belong to the other module.
# Usage: setup/i18n.sh [DB]   (default: a throwaway database built for the purpose;
#        a DB given must have the addons installed with demo data)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_odoo
start_postgres
DB="${1:-}"
if [ -z "$DB" ]; then
    DB="crm_std_i18n_$$"
    trap '"$(pg_bin)/dropdb" --if-exists "$DB" 2>/dev/null || true' EXIT
    odoo_cmd -d "$DB" -i "crm,$ADDONS" --with-demo --stop-after-init --log-level=warn \
        || die "install failed"
fi

for addon in "${ADDON_DIRS[@]}"; do
    # the integration tests addon has no user-facing text (its i18n files: headers only)
    [[ ",$TEST_ADDONS," == *",$addon,"* ]] && continue
    odoo_cmd shell -d "$DB" --no-http --log-level=warn <<PY
exec(open("$REPO_ROOT/setup/i18n_export.py").read(), {"env": env, "addon": "$addon", "repo_root": "$REPO_ROOT"})
PY
done
