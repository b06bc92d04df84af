#pragma once
#include <cstdio>
#include <string>

namespace fedhpc {

// `fedhpc report`: configuration summary, accuracy curve, time per phase.
void print_report(const std::string& path, std::FILE* out);

}  // namespace fedhpc
