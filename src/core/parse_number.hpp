#pragma once
// Strict, locale-free number parsing for everything read from outside
// (YAML scalars, overrides, CSV cells, command-line flags): the whole text
// must be the number, a leading '+' is allowed, nothing else. yaml-cpp's
// as<unsigned>() would wrap "-1" and std::stod skips leading blanks and reads
// the locale, so neither is used.
#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace fedhpc {

// Doubles may come back infinite ("inf"): callers that need a finite value check.
template <class T>
std::optional<T> parse_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace fedhpc
