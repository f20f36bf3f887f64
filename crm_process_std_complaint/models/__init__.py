from . import res_company
from . import res_config_settings
from . import crm_complaint
from . import res_partner
