from . import test_customer_process_dashboard
from . import test_install
