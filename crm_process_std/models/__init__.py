from . import res_config_settings
from . import res_partner
from . import crm_followup
from . import crm_complaint

# Follow-ups, cadences, SLAs, tiers and complaints (issue 4)
from . import crm_lead
from . import mail_activity
from . import crm_cadence_rule
from . import crm_sla_node
from . import crm_sla_timer
