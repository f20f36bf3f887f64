from . import res_config_settings
from . import res_partner
from . import crm_followup
from . import crm_complaint
