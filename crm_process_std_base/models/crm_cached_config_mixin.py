# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import functools

from odoo import api, models
from odoo.tools import SQL, ormcache

_SEEN_KEY = "crm_std_config_signaling_seen"


def _signaling_seen(cr):
    """The latest cache invalidation this transaction's snapshot can see, from Odoo's
    signaling table of the default cache (Registry.setup_signaling; system data).
    Odoo's transactions are REPEATABLE READ and the signal of a change is inserted
    after its commit: the value is read once per transaction, kept on the cursor
    and forgotten when the transaction ends either way."""
    seen = cr.cache.get(_SEEN_KEY)
    if seen is None:
        cr.execute(SQL("SELECT max(id) FROM orm_signaling_default"))
        seen = cr.fetchone()[0] or 0
        cr.cache[_SEEN_KEY] = seen

        def forget():
            cr.cache.pop(_SEEN_KEY, None)

        cr.postcommit.add(forget)
        cr.postrollback.add(forget)
    return seen


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
    the registry knows (a comparison in memory: a hit costs no query). The first miss
    of a transaction costs one more query than the read itself; later misses reuse
    the sequence, which cannot change within the transaction's snapshot.
    """

    @functools.wraps(method)
    def wrapper(self, *args):
        holder = self.env["crm.cached.config.mixin"]._config_cache_holder()
        key = (self._name, method.__name__, *args)
        known = self.env.registry.cache_sequences.get("default", 0)
        entry = holder.get(key)
        if entry is not None and entry[0] >= known:
            return entry[1]
        seen = _signaling_seen(self.env.cr)
        value = method(self, *args)
        holder[key] = (seen, value)
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
