from . import test_access_matrix
from . import test_bad_input
from . import test_browser_tour
from . import test_buttons
from . import test_one_definition
from . import test_protected_fields
from . import test_rpc_sweep
