"""Load test of setup/load.sh: Locust users, set-up, consistency checks, report."""
