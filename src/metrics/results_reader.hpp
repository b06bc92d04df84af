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
  std::vector<float> final_model;              // empty if the run did not finish
  std::vector<std::int64_t> partition_sizes;
  bool complete = false;
};

// Throws InputError if the file is missing or not a fedhpc results file.
Results read_results(const std::string& path);

}  // namespace fedhpc
