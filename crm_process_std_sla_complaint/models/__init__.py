from . import crm_sla_node
from . import crm_sla_timer
from . import crm_complaint
