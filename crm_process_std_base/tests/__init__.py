from . import test_settings
from . import test_stage_requirement
from . import test_completeness
from . import test_contact_validation
from . import test_import_templates


# Security: attacks run as the roles
from . import test_security_gates
from . import test_security_history
from . import test_config_cache
from . import test_security_configuration
from . import test_list_format
