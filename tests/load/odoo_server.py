"""Odoo's server command line, as the ``odoo-bin`` script of a source checkout.

The prefork server (``--workers N``) starts its websocket (gevent) child by running
``sys.argv[0]`` again: that must be a script, which ``python -m odoo`` and
``python -c`` are not (the child then fails and is restarted many times a second).
"""

import odoo.cli

if __name__ == "__main__":
    odoo.cli.main()
