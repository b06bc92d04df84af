#pragma once
// fedhpc privacy: the RDP accountant (privacy/rdp_accountant.hpp) on the
// command line.
#include <string>
#include <vector>

namespace fedhpc {

// Parses the flags (InputError naming the flag), prints one "ORDER RDP" line
// per order and then "epsilon E order A". Returns the exit code.
int privacy_command(const std::vector<std::string>& flags);

}  // namespace fedhpc
