# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import functools

from odoo import api, models
from odoo.tools import SQL, ormcache


def config_cache(method):
    """Cache the result of a configuration read, like ``ormcache`` keyed on the
    positional arguments, but never serve a value read by a transaction whose
    snapshot predates the last cache invalidation this process knows of.

    ``ormcache`` alone is not enough for configuration that gates user actions.
    A configuration change clears the cache inside the changing transaction; a
    request already running in the same process (threaded server) or started in
    another process before the change was signaled then refills the cache from its
    older snapshot, and nothing clears it again: the old rule stays in force.

    Each entry therefore records the signaling sequence visible in the snapshot it
    was read from, and is served only while that sequence is not older than the one
    the registry knows (a comparison in memory: a hit costs no query). A miss costs
    one more query than the read itself.
    """

    @functools.wraps(method)
    def wrapper(self, *args):
        holder = self.env["crm.cached.config.mixin"]._config_cache_holder()
        key = (self._name, method.__name__, *args)
        known = self.env.registry.cache_sequences.get("default", 0)
        entry = holder.get(key)
        if entry is not None and entry[0] >= known:
            return entry[1]
        # the latest invalidation this transaction's snapshot can see, from Odoo's
        # signaling table of the default cache (Registry.setup_signaling; system data)
        [[seen]] = self.env.execute_query(SQL("SELECT max(id) FROM orm_signaling_default"))
        value = method(self, *args)
        holder[key] = (seen or 0, value)
        return value

    return wrapper


class CrmCachedConfigMixin(models.AbstractModel):
    """Configuration that lead writes read through cached methods (stage
    requirements, completeness fields, approval levels, SLA nodes): any change to
    it clears the registry cache, in every worker, and a value read from an older
    snapshot is not served after the change (see ``config_cache``)."""

    _name = "crm.cached.config.mixin"
    _description = "Cached Process Configuration"

    @api.model
    @ormcache()
    def _config_cache_holder(self):
        """The store of ``config_cache``: a new, empty one after every cache clear
        (here or signaled by another process)."""
        return {}

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
