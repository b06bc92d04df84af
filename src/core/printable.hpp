#pragma once
// What reaches the terminal from a bad input: a name of 10 MB or the binary
// bytes of a damaged trace file are quoted back in error messages, so every
// message is printed through this. Control bytes are escaped (\xNN; newlines
// and tabs kept) and each line is cut after `max_line` bytes with a note of
// how much was left out. Valid UTF-8 characters pass (names stay readable);
// bytes that are not part of one are escaped like control bytes.
#include <string>
#include <string_view>

namespace fedhpc {

std::string terminal_safe(std::string_view message, std::size_t max_line = 2000);

// Whether a value may be a name, a path or any other text key: valid UTF-8
// (no overlong forms, surrogates or code points past U+10FFFF) and no control
// characters. Such text goes into file names and UTF-8 HDF5 attributes, and
// must read back as the same configuration.
bool is_clean_text(std::string_view text);

// The offset of the first byte that is not part of valid UTF-8 text, or of a
// control character other than tab, newline and carriage return (which YAML
// does not allow either); npos if there is none. A parser is only given text
// that passes (yaml-cpp 0.7 loops forever on some invalid bytes).
std::size_t first_non_text_byte(std::string_view text);

}  // namespace fedhpc
