from . import test_cadence_complaint
