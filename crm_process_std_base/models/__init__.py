from . import crm_cached_config_mixin
from . import crm_protected_fields_mixin
from . import res_config_settings
from . import res_partner
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
from . import mail_message
from . import crm_sla_node
from . import crm_sla_timer

# Process KPIs, diagnosis, improvement plan and staff feedback
from . import crm_kpi
from . import crm_kpi_sources
from . import crm_kpi_target
from . import crm_kpi_snapshot
from . import crm_process_diagnosis
from . import crm_process_diagnosis_line
from . import crm_improvement_task
from . import crm_feedback_question
from . import crm_feedback_request
from . import crm_feedback_answer

# Process map and industry templates
from . import crm_process_map
