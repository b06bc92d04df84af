#include "fl/initial_model.hpp"

#include <cmath>
#include <filesystem>

#include <fmt/ranges.h>

#include "core/error.hpp"
#include "metrics/array_file.hpp"
#include "metrics/results_reader.hpp"
#include "model/saved_tensor.hpp"

namespace fedhpc {

namespace {

std::vector<float> read_hdf5_vector(const std::string& path, std::int64_t size) {
  const ArrayFile file(path, "model.init");
  for (const char* name : {"/model/final", "/model/init"}) {
    if (!file.has(name)) continue;
    if (const ArrayInfo info = file.info(name); info.dims.size() != 1 || info.dims[0] != size)
      throw InputError(fmt::format("model.init: {}: expected the model's {} parameters and buffers at {}, found an "
                                   "array of shape [{}]",
                                   path, size, name, fmt::join(info.dims, ", ")));
    if (std::string(name) == "/model/final" && file.number_attribute("complete").value_or(1) == 0)
      throw InputError(fmt::format("model.init: {}: the run did not finish (root attribute complete is 0), so its "
                                   "/model/final holds no model yet",
                                   path));
    return file.floats(name);
  }
  throw InputError(fmt::format("model.init: {}: expected a flat vector at /model/final (a fedhpc results file) or "
                               "/model/init, found neither",
                               path));
}

}  // namespace

std::vector<float> read_initial_model(const std::string& path, std::int64_t size) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(fmt::format("model.init: {}: no such file", path));
  std::vector<float> flat = is_hdf5(path) ? read_hdf5_vector(path, size) : read_saved_tensor(path);
  if (static_cast<std::int64_t>(flat.size()) != size)
    throw InputError(fmt::format("model.init: {}: expected the model's {} parameters and buffers, found {}", path,
                                 size, flat.size()));
  for (std::size_t i = 0; i < flat.size(); ++i)
    if (!std::isfinite(flat[i]))
      throw InputError(fmt::format("model.init: {}: element {} is {}, expected finite weights", path, i, flat[i]));
  return flat;
}

}  // namespace fedhpc
