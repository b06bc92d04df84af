#pragma once
// Runs a read of an untrusted file in a forked child first, so that a
// library that crashes on a damaged file (libhdf5 1.10 does, on corrupt
// global heaps: found by fuzz_results) takes down the child, not fedhpc.
// Only for processes that have not started MPI (report, report --follow).
#include <functional>
#include <string>

namespace fedhpc {

// Runs `read` in a child process. Returns when it finished; throws the
// InputError it threw; throws InputError("<file>: reading it failed (<what>);
// the file is damaged") for any other exception, and InputError("<file>:
// reading it crashed ...; the file is damaged") when it died (a signal, a
// sanitizer, any other exit).
void survive_in_child(const std::string& file, const std::function<void()>& read);

}  // namespace fedhpc
