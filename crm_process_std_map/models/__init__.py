from . import crm_process_map
