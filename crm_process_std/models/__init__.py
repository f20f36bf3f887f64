from . import res_config_settings
from . import res_partner
from . import crm_followup
from . import crm_complaint

# Stage requirements, completeness, stage guidance
from . import customer_information
from . import crm_contact_validation
from . import crm_stage
from . import crm_stage_requirement
from . import crm_stage_deviation
from . import crm_completeness_field
from . import crm_lead
