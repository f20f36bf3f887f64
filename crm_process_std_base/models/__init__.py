from . import crm_cached_config_mixin
from . import crm_protected_fields_mixin
from . import customer_information
from . import res_company
from . import res_config_settings
from . import res_partner
from . import mail_activity

# Stage requirements, completeness, stage guidance
from . import crm_contact_validation
from . import crm_stage
from . import crm_stage_requirement
from . import crm_stage_deviation
from . import crm_completeness_field
from . import crm_lead

# Follow-ups, cadences, SLAs, tiers and complaints
