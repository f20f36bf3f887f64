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
