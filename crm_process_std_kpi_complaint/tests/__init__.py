from . import test_kpi_complaint
