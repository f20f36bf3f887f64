from . import crm_health_backfill
