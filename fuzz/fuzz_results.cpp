// The results reader (fedhpc report, --resume's check) on arbitrary bytes:
// InputError naming what is wrong, or the file's contents; never a crash.
#include <cstddef>
#include <cstdint>

#include "core/error.hpp"
#include "input_file.hpp"
#include "metrics/results_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fedhpc::fuzz::InputFile file(data, size);
  try {
    (void)fedhpc::count_rounds(file.path());
    (void)fedhpc::read_results(file.path());
  } catch (const fedhpc::InputError&) {
  }
  return 0;
}
