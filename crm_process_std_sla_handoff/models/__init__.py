from . import crm_sla_node
from . import crm_sla_timer
from . import crm_sla_lead_event
from . import crm_handoff
