from . import crm_handoff_decision
