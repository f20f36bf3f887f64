from . import res_company
from . import res_config_settings

# Customer health score
from . import crm_health_band
from . import crm_health_scorecard
from . import crm_health_scorecard_preview
from . import crm_health_risk_mixin
from . import crm_health_score
from . import crm_health_snapshot
from . import crm_health_intervention_rule
from . import crm_health_engine
from . import crm_health_engine_inputs
from . import crm_health_engine_actions
from . import crm_health_activity_queue
from . import mail_activity
from . import res_partner
