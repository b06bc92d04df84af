// The results reader on arbitrary bytes, guarded as fedhpc report guards it:
// InputError naming what is wrong, or the file's contents; never a crash.
#include <cstddef>
#include <cstdint>

#include "core/error.hpp"
#include "core/in_child.hpp"
#include "input_file.hpp"
#include "metrics/results_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fedhpc::fuzz::InputFile file(data, size);
  // As fedhpc report reads it: first in a child process, which libhdf5 may
  // crash on a damaged file (that must become exit 2, not a crash), then here.
  try {
    fedhpc::survive_in_child(file.path(), [&] {
      (void)fedhpc::count_rounds(file.path());
      (void)fedhpc::read_results(file.path());
    });
    (void)fedhpc::count_rounds(file.path());
    (void)fedhpc::read_results(file.path());
  } catch (const fedhpc::InputError&) {
  }
  return 0;
}
