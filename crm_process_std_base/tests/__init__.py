from . import test_settings
from . import test_stage_requirement
from . import test_completeness
from . import test_contact_validation
from . import test_import_templates

# handoff and tiered approval
from . import test_handoff
from . import test_handoff_concurrency
from . import test_lead_approval
from . import test_sla_timer
from . import test_complaint
from . import test_followup_access
from . import test_followup_views

# Process KPIs, diagnosis, improvement plan and staff feedback
from . import test_kpi
from . import test_kpi_snapshot
from . import test_kpi_target_proposal
from . import test_kpi_demo
from . import test_process_diagnosis
from . import test_improvement_task
from . import test_staff_feedback
from . import test_kpi_settings

# Process map and industry templates
from . import test_process_map
from . import test_industry_template

# Process KPIs: handoff and SLA sources, live KPI report
from . import test_kpi_handoff_sla
from . import test_kpi_report

# Security (issue 13): attacks run as the roles
from . import test_security_handoff
from . import test_security_approval
from . import test_security_complaint_feedback
from . import test_security_gates
from . import test_security_history
from . import test_config_cache
from . import test_followup_buttons
from . import test_handoff_dialogs
from . import test_handoff_sla
from . import test_security_configuration
from . import test_list_format
from . import test_followup_sla
