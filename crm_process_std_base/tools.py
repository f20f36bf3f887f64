# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Helpers shared by the addons of the product."""

_MISSING = object()


def known_without(records, one2many):
    """The records of ``records`` whose ``one2many`` is known to be empty without a
    query: the ORM caches the one2many of a record it creates as empty and adds each
    line created for it in the transaction (or it was read empty before). Stored
    computes over such lines skip those records: creating a lead costs no query for
    the follow-ups or timers it cannot have yet."""
    cache = records._fields[one2many]._get_cache(records.env)
    return records.browse(
        record_id
        for record_id in records._ids
        if (value := cache.get(record_id, _MISSING)) is not _MISSING and not value
    )
