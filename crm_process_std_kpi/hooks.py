# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """At install only: the first contact of the leads contacted before the addon."""
    env["crm.kpi"]._kpi_store_first_contact()
