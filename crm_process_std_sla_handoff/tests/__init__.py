from . import test_handoff_sla
