from . import crm_kpi
