#include "core/printable.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace fedhpc {

namespace {

// The length of the UTF-8 sequence starting at text[i], or 0 if it is not a
// valid one (RFC 3629: the shortest form, no surrogates, at most U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  std::size_t n = 0;
  std::uint32_t code = 0, min = 0;
  if (b < 0x80) return 1;
  if ((b & 0xE0) == 0xC0) n = 2, code = b & 0x1F, min = 0x80;
  else if ((b & 0xF0) == 0xE0) n = 3, code = b & 0x0F, min = 0x800;
  else if ((b & 0xF8) == 0xF0) n = 4, code = b & 0x07, min = 0x10000;
  else return 0;
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::string terminal_safe(std::string_view message, std::size_t max_line) {
  std::string out;
  std::size_t line = 0, dropped = 0;
  auto end_line = [&] {
    if (dropped > 0) out += fmt::format("... ({} more bytes)", dropped);
    line = dropped = 0;
  };
  for (std::size_t i = 0; i < message.size();) {
    const auto c = static_cast<unsigned char>(message[i]);
    if (c == '\n') {
      end_line();
      out += '\n';
      ++i;
      continue;
    }
    // A whole UTF-8 character passes; a control byte, or a byte that is not
    // part of a valid character (binary from a damaged file), is escaped.
    const std::size_t n = utf8_length(message, i);
    const bool control = (c < 0x20 && c != '\t') || c == 0x7f;
    const std::size_t used = n == 0 || control ? 1 : n;
    const std::string piece = n == 0 || control ? fmt::format("\\x{:02x}", c) : std::string(message.substr(i, n));
    i += used;
    if (line + piece.size() > max_line) {
      dropped += used;
      continue;
    }
    out += piece;
    line += piece.size();
  }
  end_line();
  return out;
}

std::size_t first_non_text_byte(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7F) return i;
    const std::size_t n = utf8_length(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

bool is_clean_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if (b < 0x20 || b == 0x7F) return false;
    const std::size_t n = utf8_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace fedhpc
