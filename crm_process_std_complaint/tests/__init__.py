from . import test_complaint
from . import test_security_complaint
