from . import test_industry_template_health
