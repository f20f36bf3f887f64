from . import crm_industry_template_wizard
