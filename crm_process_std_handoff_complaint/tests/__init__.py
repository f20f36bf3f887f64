from . import test_handoff_complaint
