from . import crm_kpi_comparison
from . import crm_kpi_comparison_line
from . import crm_kpi_snapshot_wizard
from . import crm_kpi_target_proposal
from . import crm_kpi_target_proposal_line
