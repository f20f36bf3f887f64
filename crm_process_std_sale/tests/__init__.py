from . import test_order_stats
