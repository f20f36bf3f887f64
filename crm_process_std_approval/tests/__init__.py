from . import test_lead_approval
from . import test_lead_approval_dialogs
from . import test_security_approval
from . import test_config_cache
from . import test_security_gates
from . import test_approval_configuration
