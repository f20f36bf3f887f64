#!/usr/bin/env bash
# Stop the embedded PostgreSQL cluster started by setup/demo.sh or setup/test.sh.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
stop_postgres
