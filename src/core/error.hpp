#pragma once
// The two kinds of failure the outside contract distinguishes (exit codes):
// InputError (2) for bad configs, overrides, data files and rank layouts, found
// before any result is written; Error (1) for everything else.
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace fedhpc {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class InputError : public Error {
 public:
  using Error::Error;
};

// Training diverged: an update or a distance between updates left the range
// the exact reduction can sum. The round loop adds the round to the message.
class DivergedError : public Error {
 public:
  using Error::Error;
};

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

namespace detail {
[[noreturn]] inline void check_failed(const char* file, int line, const char* expr, const std::string& msg) {
  throw Error(fmt::format("{}:{}: check '{}' failed: {}", file, line, expr, msg));
}
}  // namespace detail

}  // namespace fedhpc

// Internal invariant: a violated one is a bug in fedhpc (exit 1), never bad input.
#define FEDHPC_CHECK(cond, ...)                                                          \
  do {                                                                                   \
    if (!(cond)) ::fedhpc::detail::check_failed(__FILE__, __LINE__, #cond, fmt::format(__VA_ARGS__)); \
  } while (0)
