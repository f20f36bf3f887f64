from . import res_config_settings
from . import res_partner
from . import crm_followup
from . import crm_complaint

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
