from . import test_settings
from . import test_followup
from . import test_cadence_rule
from . import test_sla_timer
from . import test_complaint
from . import test_customer_tier
from . import test_followup_access
from . import test_followup_views
