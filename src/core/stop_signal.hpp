#pragma once
// SIGTERM and SIGINT (what Slurm sends before a time limit, and Ctrl-C) ask a
// run to stop: the handler only records the signal; the round loop notices it
// at the end of the round, all ranks agree on it, write a checkpoint and exit.
namespace fedhpc {

// Installs the handlers (idempotent). A second signal of the same kind while
// the first is pending falls back to the default action, so a stuck run can
// still be killed from the keyboard.
void install_stop_handlers();

// The signal number received so far, or 0.
int stop_signal();

// "SIGTERM", "SIGINT", or "signal N".
const char* signal_name(int signo);

}  // namespace fedhpc
