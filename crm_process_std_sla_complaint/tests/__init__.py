from . import test_complaint_sla
