from . import crm_kpi_report
