#pragma once
// The message of the InputError that `f` throws, for exact comparisons;
// "(no InputError)" when it throws none (any other exception fails the test).
#include <functional>
#include <string>

#include "core/error.hpp"

namespace fedhpc::test_support {

inline std::string input_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

}  // namespace fedhpc::test_support
