from . import test_kpi_handoff
