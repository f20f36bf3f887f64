from . import test_complaint
from . import test_security_complaint
from . import test_complaint_access
