# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .models.crm_health_engine_backfill import INSTALL_MONTHS


def post_init_hook(env):
    """At install only: 12 months of health history are backfilled from the
    customers' dated data by the scheduled action, in the background (minutes on a
    large base: the install does not wait for it)."""
    env["crm.health.engine"]._backfill_request(INSTALL_MONTHS, install=True)
