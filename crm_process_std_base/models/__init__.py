from . import crm_cached_config_mixin
from . import crm_protected_fields_mixin
from . import res_config_settings
from . import res_partner
from . import crm_followup
from . import crm_complaint

# Stage requirements, completeness, stage guidance
from . import customer_information
from . import crm_contact_validation
from . import crm_stage
from . import crm_stage_requirement
from . import crm_stage_deviation
from . import crm_completeness_field
from . import crm_lead

# handoff and tiered approval
from . import crm_handoff
from . import crm_handoff_content
from . import crm_handoff_checklist_template
from . import crm_handoff_checklist_item
from . import crm_handoff_checklist_line
from . import crm_approval_level
from . import crm_lead_approval

# Follow-ups, cadences, SLAs, tiers and complaints
from . import mail_activity
from . import crm_cadence_rule
from . import crm_sla_node
from . import crm_sla_timer

# Process map and industry templates
from . import crm_process_map
