from . import crm_stage_exception_wizard
from . import crm_handoff_decision
from . import crm_lead_approval_decision
