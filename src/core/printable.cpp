#include "core/printable.hpp"

#include <fmt/format.h>

namespace fedhpc {

std::string terminal_safe(std::string_view message, std::size_t max_line) {
  std::string out;
  std::size_t line = 0, dropped = 0;
  auto end_line = [&] {
    if (dropped > 0) out += fmt::format("... ({} more bytes)", dropped);
    line = dropped = 0;
  };
  for (const char ch : message) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      end_line();
      out += '\n';
      continue;
    }
    const std::string piece = (c < 0x20 && c != '\t') || c == 0x7f ? fmt::format("\\x{:02x}", c) : std::string(1, ch);
    if (line + piece.size() > max_line) {
      dropped += 1;
      continue;
    }
    out += piece;
    line += piece.size();
  }
  end_line();
  return out;
}

}  // namespace fedhpc
