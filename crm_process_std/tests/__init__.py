from . import test_settings
from . import test_stage_requirement
from . import test_completeness
from . import test_contact_validation
from . import test_import_templates

# handoff and tiered approval
from . import test_handoff
from . import test_handoff_concurrency
from . import test_lead_approval
