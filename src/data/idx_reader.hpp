#pragma once
// Reader for the idx format of (Fashion-)MNIST, gzip'd or not.
#include <cstdint>
#include <string>
#include <vector>

namespace fedhpc {

struct IdxArray {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> data;  // unsigned bytes, row-major
};

// Checks the magic number (unsigned-byte type and the expected rank), that the
// payload holds exactly prod(dims) bytes, and throws InputError naming `path`.
IdxArray read_idx(const std::string& path, int expected_rank);

}  // namespace fedhpc
