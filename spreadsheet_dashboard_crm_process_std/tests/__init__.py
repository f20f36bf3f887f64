from . import test_customer_process_dashboard
