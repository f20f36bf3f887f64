from . import crm_cached_config_mixin
from . import crm_protected_fields_mixin
from . import customer_information
from . import res_company
from . import res_config_settings
from . import res_partner
from . import crm_followup

# Stage requirements, completeness, stage guidance
from . import crm_contact_validation
from . import crm_stage
from . import crm_stage_requirement
from . import crm_stage_deviation
from . import crm_completeness_field
from . import crm_lead

# Follow-ups, cadences, SLAs, tiers and complaints
from . import mail_activity
from . import mail_message
from . import crm_cadence_rule

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
