from . import res_company
from . import res_config_settings
from . import crm_stage
from . import crm_approval_level
from . import crm_lead_approval
from . import crm_lead
