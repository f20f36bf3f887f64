from . import test_kpi_sla
