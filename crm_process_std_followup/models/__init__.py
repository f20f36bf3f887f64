from . import crm_followup
from . import res_partner
from . import res_company
from . import res_config_settings
from . import crm_lead
from . import crm_stage_requirement
from . import mail_activity
from . import crm_cadence_rule
