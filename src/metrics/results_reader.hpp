#pragma once
// Reads a results file back (fedhpc report, tests, comparisons).
#include <map>
#include <string>
#include <vector>

#include "metrics/records.hpp"

namespace fedhpc {

struct Results {
  std::map<std::string, std::string> text;     // string root attributes
  std::map<std::string, double> numbers;       // numeric root attributes
  std::vector<RoundRecord> rounds;
  std::vector<ClientRecord> clients;
  std::vector<TimingRecord> timings;           // per rank per round (schema 4 on)
  std::vector<std::uint32_t> checkpoint_rounds;  // rounds with a checkpoint, in order written
  std::vector<float> final_model;              // empty if the run did not finish
  std::vector<std::int64_t> partition_sizes;
  bool complete = false;

  // A text attribute for the terminal: bounded and escaped (a damaged or
  // foreign file's bytes are not printed raw); `missing` if there is none.
  std::string shown(const std::string& key, const std::string& missing = "") const;
};

// Throws InputError if the file is missing or not a fedhpc results file. A
// file being written (or left by a killed writer) is read in SWMR mode.
Results read_results(const std::string& path, bool rounds_only = false);

// Whether the file starts like an HDF5 file (its signature).
bool is_hdf5(const std::string& path);

// Only the number of /rounds rows, cheaply (fedhpc report --follow). Returns
// -1 if the file cannot be opened right now.
long count_rounds(const std::string& path);

}  // namespace fedhpc
