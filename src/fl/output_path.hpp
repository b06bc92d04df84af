#pragma once
#include <string>

namespace fedhpc {

// Expands output.file's placeholders: {name}, {seed}, and {jobid} (the Slurm
// job id, with the array task appended, or local-YYYYmmdd-HHMMSS outside
// Slurm). An unknown placeholder is an InputError naming output.file.
std::string expand_output_path(const std::string& pattern, const std::string& name, unsigned long long seed);

}  // namespace fedhpc
