from . import test_settings
from . import test_stage_requirement
from . import test_completeness
from . import test_contact_validation
from . import test_import_templates

# handoff and tiered approval
from . import test_handoff
from . import test_handoff_concurrency
from . import test_lead_approval
from . import test_followup
from . import test_cadence_rule
from . import test_sla_timer
from . import test_complaint
from . import test_customer_tier
from . import test_followup_access
from . import test_followup_views

# Process map and industry templates
from . import test_process_map
from . import test_industry_template

# Security (issue 13): attacks run as the roles
from . import test_security_handoff
from . import test_security_approval
from . import test_security_complaint_feedback
from . import test_security_gates
from . import test_security_history
from . import test_config_cache
from . import test_followup_prospect
from . import test_followup_buttons
from . import test_handoff_dialogs
from . import test_handoff_sla
from . import test_security_configuration
from . import test_list_format
