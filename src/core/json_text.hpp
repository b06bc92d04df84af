#pragma once
// JSON scalars for the few places that print JSON by hand (the closing
// FEDHPC_RESULT line, `fedhpc report --format json`).
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace fedhpc {

// A JSON string literal: quotes and backslashes escaped, control characters as \uXXXX.
inline std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(ch));
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

// A JSON number in its shortest round-trip form; null for NaN and infinities.
inline std::string json_number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

}  // namespace fedhpc
