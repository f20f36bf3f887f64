from . import test_order_stats
from . import test_open_orders
