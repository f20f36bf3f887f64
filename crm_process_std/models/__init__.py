from . import res_config_settings
from . import res_partner
from . import crm_followup
from . import crm_complaint

# handoff and tiered approval
from . import crm_lead
from . import crm_handoff
from . import crm_handoff_content
from . import crm_handoff_checklist_template
from . import crm_handoff_checklist_item
from . import crm_handoff_checklist_line
from . import crm_approval_level
from . import crm_lead_approval
