// The results reader and the resume's reads on arbitrary bytes, guarded as
// fedhpc report and fedhpc run --resume guard them: InputError naming what
// is wrong, or the file's contents; never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "core/in_child.hpp"
#include "input_file.hpp"
#include "metrics/hdf5_sink.hpp"
#include "metrics/results_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fedhpc::fuzz::InputFile file(data, size);
  // As fedhpc report and --resume read it: first in a child process, which
  // libhdf5 may crash on a damaged file (that must become exit 2, not a
  // crash), then here.
  // Each read on its own: the resume's reads go further than the report's.
  const auto read = [&] {
    (void)fedhpc::count_rounds(file.path());
    for (const auto& one : {+[](const std::string& p) { (void)fedhpc::read_results(p); },
                            +[](const std::string& p) { (void)fedhpc::Hdf5Sink::probe_resume(p); }}) {
      try {
        one(file.path());
      } catch (const fedhpc::InputError&) {
      }
    }
  };
  try {
    fedhpc::survive_in_child(file.path(), read);
    read();
  } catch (const fedhpc::InputError&) {
  }
  return 0;
}
