#!/usr/bin/env bash
# Regenerate each addon's i18n/<addon>.pot from a database where both addons are
# installed, and merge new terms into i18n/zh_CN.po (existing translations kept;
# new ones left empty for a translator).
# Usage: setup/i18n.sh [DB]   (default: a throwaway database built for the purpose)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

check_odoo
start_postgres
DB="${1:-}"
if [ -z "$DB" ]; then
    DB="crm_std_i18n_$$"
    trap '"$(pg_bin)/dropdb" --if-exists "$DB" 2>/dev/null || true' EXIT
    odoo_cmd -d "$DB" -i "crm,$ADDONS" --stop-after-init --log-level=warn || die "install failed"
fi

for addon in ${ADDONS//,/ }; do
    odoo_cmd shell -d "$DB" --no-http --log-level=warn <<PY
import io, polib
from odoo.tools.translate import trans_export
buf = io.BytesIO()
trans_export(False, ["$addon"], buf, "po", env)
pot_path = "$REPO_ROOT/$addon/i18n/$addon.pot"
import os
os.makedirs(os.path.dirname(pot_path), exist_ok=True)
with open(pot_path, "wb") as f:
    f.write(buf.getvalue())
pot = polib.pofile(pot_path)
po_path = "$REPO_ROOT/$addon/i18n/zh_CN.po"
import os
po = polib.pofile(po_path) if os.path.exists(po_path) else polib.POFile()
po.merge(pot)
po.metadata.update({
    "Project-Id-Version": "Odoo Server 19.0",
    "Language": "zh_CN",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "",
    "Plural-Forms": "nplurals=1; plural=0;",
})
po.save(po_path)
missing = [e.msgid for e in po if not e.msgstr and not e.obsolete]
print("$addon: %d terms, %d without zh_CN translation" % (len(pot), len(missing)))
PY
done
