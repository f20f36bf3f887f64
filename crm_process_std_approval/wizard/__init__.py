from . import crm_lead_approval_decision
