from . import crm_complaint
from . import crm_handoff_content
