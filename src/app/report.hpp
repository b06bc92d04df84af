#pragma once
#include <cstdio>
#include <string>
#include <vector>

namespace fedhpc {

// `fedhpc report`: configuration summary, scenario outcomes, accuracy curve,
// time to accuracy (simulated and wall), time per phase.
void print_report(const std::string& path, std::FILE* out);

// Every file's report, then (for several) their time to accuracy side by side.
void print_reports(const std::vector<std::string>& paths, std::FILE* out);

// `fedhpc report --follow`: prints a live run's rounds as they are written
// (the file is read in SWMR mode) until it completes or stops. Returns the
// exit code: 0 once complete, 1 if the run stopped early.
int follow_results(const std::string& path, std::FILE* out);

}  // namespace fedhpc
