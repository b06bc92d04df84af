#pragma once
// `fedhpc export FILE --csv DIR`: every table of a results file as a CSV file
// for tools that do not read HDF5: /rounds, /clients, /timings, /checkpoints
// (one row per record, each header cell "column [unit]"), and /partition's
// per-client rows where the file has them. Returns the files written.
#include <string>
#include <vector>

namespace fedhpc {

std::vector<std::string> export_csv(const std::string& results_path, const std::string& out_dir);

}  // namespace fedhpc
