#pragma once
// The readers under test take a path: each fuzz input is written to this
// process's own scratch file (under /dev/shm when it exists, so in memory),
// rewritten for every input and removed at exit. Not a memfd: HDF5 cannot
// open /proc/self/fd/N.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace fedhpc::fuzz {

class InputFile {
 public:
  InputFile(const std::uint8_t* data, std::size_t size) {
    if (std::FILE* f = std::fopen(path().c_str(), "wb")) {
      if (size > 0) std::fwrite(data, 1, size, f);
      std::fclose(f);
    }
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  static const std::string& path() {
    static const std::string p = [] {
      const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
      std::string name = std::string(dir) + "/fedhpc-fuzz-" + std::to_string(getpid());
      static const std::string removed_at_exit = name;
      std::atexit([] { std::remove(removed_at_exit.c_str()); });
      return name;
    }();
    return p;
  }
};

}  // namespace fedhpc::fuzz
