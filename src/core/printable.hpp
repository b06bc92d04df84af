#pragma once
// What reaches the terminal from a bad input: a name of 10 MB or the binary
// bytes of a damaged trace file are quoted back in error messages, so every
// message is printed through this. Control bytes are escaped (\xNN; newlines
// and tabs kept) and each line is cut after `max_line` bytes with a note of
// how much was left out. Bytes >= 0x80 pass (UTF-8 names stay readable).
#include <string>
#include <string_view>

namespace fedhpc {

std::string terminal_safe(std::string_view message, std::size_t max_line = 2000);

}  // namespace fedhpc
