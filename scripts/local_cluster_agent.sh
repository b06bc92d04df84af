#!/usr/bin/env bash
# Open MPI's rsh agent for scripts/local_cluster.sh (--mca plm_rsh_agent): called
# like ssh, HOST then the command line, it runs that line inside the host.
exec "$(dirname "${BASH_SOURCE[0]}")/local_cluster.sh" exec "$@"
