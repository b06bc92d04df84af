#pragma once
#include <cstdio>
#include <string>

namespace fedhpc {

// `fedhpc report --follow`: prints a live run's rounds as they are written
// (the file is read in SWMR mode) until the run completes (exit 0), stops or
// its writer is found gone (exit 1). A missing file (after wait_seconds), a
// directory or a file that is not HDF5 is refused at once, and a file that has not become a results file within
// `timeout_seconds` (while its writer lives) is refused then (InputError).
// wait_seconds > 0: first wait that long for the file to appear (a job just
// submitted has not created it yet).
int follow_results(const std::string& path, std::FILE* out, int timeout_seconds, int wait_seconds = 0);

}  // namespace fedhpc
