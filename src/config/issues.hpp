#pragma once
// Collects configuration problems so a user sees all of them in one go, each
// prefixed with where the offending value came from (file:line:col or the
// command-line override that set it).
#include <functional>
#include <string>
#include <vector>

#include "config/schema.hpp"

namespace fedhpc {

struct ConfigIssues {
  std::function<std::string(const std::string& path)> where;
  std::vector<std::string> problems;

  void add(const std::string& path, const std::string& message) {
    problems.push_back(where(path) + ": " + path + ": " + message);
  }
};

// Cross-field and semantic checks on a fully read config (validate.cpp).
void validate(const RunConfig& config, ConfigIssues& issues);

// The checks that need the data set's number of classes, known from the
// config for built-in data sets (known_num_classes) and only once a file is
// loaded for the others.
void validate_classes(const RunConfig& config, int num_classes, ConfigIssues& issues);

// Closest candidate within a small edit distance, or "" (for "did you mean").
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace fedhpc
