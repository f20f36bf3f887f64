from . import test_sla_timer
from . import test_sla_lead_events
from . import test_sla_history
from . import test_sla_access
from . import test_sla_followup
