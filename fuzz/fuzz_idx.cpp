// The idx reader (Fashion-MNIST's format, gzip'd or not) on arbitrary bytes:
// InputError or a well-formed array, never a crash or a huge allocation.
#include <cstddef>
#include <cstdint>

#include "core/error.hpp"
#include "data/idx_reader.hpp"
#include "input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fedhpc::fuzz::InputFile file(data, size);
  for (int rank : {1, 3}) {  // labels and images
    try {
      (void)fedhpc::read_idx(file.path(), rank);
    } catch (const fedhpc::InputError&) {
    }
  }
  return 0;
}
