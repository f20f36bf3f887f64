from . import crm_stage_exception_wizard
from . import crm_handoff_decision
from . import crm_lead_approval_decision

# Process map and industry templates
from . import crm_industry_template_wizard
