from . import test_handoff
from . import test_handoff_concurrency
from . import test_handoff_dialogs
from . import test_security_handoff
from . import test_config_cache
from . import test_security_gates
from . import test_handoff_configuration
