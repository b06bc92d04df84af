#pragma once
#include <string>

namespace fedhpc {

struct RunConfig;

// Expands output.file's placeholders: {jobid} (the Slurm job id, with the
// array task appended, or local-YYYYmmdd-HHMMSS outside Slurm) and any
// scenario key, as config_yaml writes its value ({name}, {seed},
// {strategy.name}, {strategy.mu}, {data.partition.alpha}, ...). An unknown
// placeholder, or a key that does not apply to `config`, is an InputError
// naming output.file.
std::string expand_output_path(const std::string& pattern, const RunConfig& config);

}  // namespace fedhpc
