from . import test_settings

# handoff and tiered approval
from . import test_handoff
from . import test_handoff_concurrency
from . import test_lead_approval
