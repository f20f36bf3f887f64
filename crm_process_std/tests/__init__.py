from . import test_settings

# Process KPIs, diagnosis, improvement plan and staff feedback
from . import test_kpi
from . import test_kpi_snapshot
from . import test_process_diagnosis
from . import test_improvement_task
from . import test_staff_feedback
from . import test_kpi_settings
