# shellcheck shell=bash
# Sourced by the scripts: the environment fedhpc runs well in on a shared node.
# Open MPI refuses root unless told twice; CI containers run as root.
if [ "$(id -u)" -eq 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# Ranks share cores: idle OpenMP threads must sleep, not spin.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
# No warnings about unused transports. Not btl_vader_single_copy_mechanism=none:
# it made the quickstart 35% slower here (10 rounds: 14.1 s vs 10.5 s).
export OMPI_MCA_btl_base_warn_component_unused=${OMPI_MCA_btl_base_warn_component_unused:-0}
# Ctrl-C or `kill` to mpirun: Open MPI sends the ranks SIGCONT, waits this
# many seconds, sends SIGTERM, waits as long again and sends SIGKILL. The
# default (1 s) kills a rank before it can finish its round and checkpoint;
# 10 s lets a round of up to 10 s finish. Open MPI waits the same 2 x 10 s
# whenever a rank exits non-zero, bad input included, so a larger value
# makes every error slower to return (raise it for long rounds only).
export OMPI_MCA_odls_base_sigkill_timeout=${OMPI_MCA_odls_base_sigkill_timeout:-10}
