from . import test_settings
from . import test_stage_requirement
from . import test_completeness
from . import test_contact_validation
from . import test_import_templates


from . import test_followup
from . import test_cadence_rule
from . import test_customer_tier
from . import test_followup_access
from . import test_followup_views


# Security (issue 13): attacks run as the roles
from . import test_security_gates
from . import test_security_history
from . import test_config_cache
from . import test_followup_prospect
from . import test_followup_buttons
from . import test_security_configuration
from . import test_list_format
