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

}  // namespace fedhpc
