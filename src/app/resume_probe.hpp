#pragma once
// `fedhpc run --resume FILE` reads a file that may be damaged, and libhdf5
// 1.10 crashes on some damaged files (found by fuzz_results). A crash inside
// a rank would end the job with a signal instead of exit 2 naming the file,
// so the launch's rank 0 reads the file first in a forked child
// (core/in_child.hpp). That happens before MPI starts: forking a process
// that has initialised MPI is not safe with every transport.
#include <string>

namespace fedhpc {

// Whether the launcher says that this process will be rank 0 (or names no
// rank at all: a singleton run, an unknown launcher).
bool launched_as_rank_zero();

// Reads `path` as report and the resume do, in a child; returns what was
// wrong with it (an InputError's text, "the file is damaged" after a crash),
// or "" when the reads succeed.
std::string probe_resume_file(const std::string& path);

}  // namespace fedhpc
