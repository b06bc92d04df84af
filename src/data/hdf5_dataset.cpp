#include "data/hdf5_dataset.hpp"

#include <cmath>
#include <limits>

#include <fmt/ranges.h>

#include "core/error.hpp"
#include "metrics/array_file.hpp"

namespace fedhpc {

namespace {

constexpr const char* kSee = "(the data format: docs/data_format.md)";

std::vector<std::int64_t> sample_shape_of(const ArrayInfo& x) {
  return {x.dims.begin() + 1, x.dims.end()};
}

ArrayInfo required(const ArrayFile& file, const std::string& name) {
  if (!file.has(name)) throw InputError(fmt::format("data.path: {}: has no dataset {} {}", file.path(), name, kSee));
  return file.info(name);
}

int read_num_classes(const ArrayFile& file) {
  const auto v = file.number_attribute("num_classes");
  if (!v) throw InputError(fmt::format("data.path: {}: has no root attribute num_classes {}", file.path(), kSee));
  if (*v != std::floor(*v) || *v < 2 || *v > 1e6)
    throw InputError(fmt::format("data.path: {}: attribute num_classes: expected an integer in [2, 1000000], found {}",
                                 file.path(), *v));
  return static_cast<int>(*v);
}

float read_x_scale(const ArrayFile& file) {
  const auto v = file.number_attribute("x_scale").value_or(1.0);
  if (!std::isfinite(v) || v <= 0 || v > std::numeric_limits<float>::max())
    throw InputError(fmt::format("data.path: {}: attribute x_scale: expected a positive number, found {}", file.path(),
                                 v));
  return static_cast<float>(v);
}

// One split's features and labels; `prefix` is "/train" or "/test".
Dataset read_split(const ArrayFile& file, const std::string& prefix, int num_classes, float x_scale) {
  const ArrayInfo x = required(file, prefix + "/x");
  const ArrayInfo y = required(file, prefix + "/y");
  if (x.dims.size() < 2)
    throw InputError(fmt::format("data.path: {}: {}/x: expected samples x features (2 or more dimensions), found {}",
                                 file.path(), prefix, x.dims.size()));
  for (std::size_t d = 0; d < x.dims.size(); ++d)
    if (x.dims[d] < 1)
      throw InputError(fmt::format("data.path: {}: {}/x has shape [{}]: expected at least one sample, and every "
                                   "sample dimension at least 1",
                                   file.path(), prefix, fmt::join(x.dims, ", ")));
  if (x.kind != ElementKind::UInt8 && x.kind != ElementKind::Float32)
    throw InputError(fmt::format("data.path: {}: {}/x: expected uint8 or float32 elements, found {}", file.path(),
                                 prefix, x.type_text));
  if (y.dims.size() != 1 || y.kind == ElementKind::Other || y.kind == ElementKind::Float32 ||
      y.kind == ElementKind::Float64)
    throw InputError(fmt::format("data.path: {}: {}/y: expected a 1-D integer array, found {} of {} dimension(s)",
                                 file.path(), prefix, y.type_text, y.dims.size()));
  if (x.rows() != y.rows())
    throw InputError(fmt::format("data.path: {}: {}/x holds {} samples but {}/y holds {} labels", file.path(), prefix,
                                 x.rows(), prefix, y.rows()));
  Dataset d;
  d.sample_shape = sample_shape_of(x);
  d.num_classes = num_classes;
  d.features = file.floats(prefix + "/x");
  if (x_scale != 1.0f)
    for (auto& v : d.features) v *= x_scale;
  d.labels = file.integers(prefix + "/y");
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    if (d.labels[i] < 0 || d.labels[i] >= num_classes)
      throw InputError(fmt::format("data.path: {}: {}/y[{}] is {}, outside [0, {}) (attribute num_classes)",
                                   file.path(), prefix, i, d.labels[i], num_classes));
  }
  return d;
}

// Each sample's client: ids in [0, num_clients), and (training set) every
// client owning at least one sample, so every client has data to train on.
std::vector<std::int32_t> read_owners(const ArrayFile& file, const std::string& prefix, std::int64_t rows,
                                      int num_clients, bool every_client) {
  const std::string name = prefix + "/client";
  const ArrayInfo info = file.info(name);
  if (info.dims.size() != 1 || info.rows() != rows)
    throw InputError(fmt::format("data.path: {}: {} holds {} owners for {} samples", file.path(), name, info.rows(),
                                 rows));
  const auto ids = file.integers(name);
  std::vector<std::int32_t> owners(ids.size());
  std::vector<char> seen(static_cast<std::size_t>(num_clients), 0);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= num_clients)
      throw InputError(fmt::format("data.path: {}: {}[{}] is {}, outside [0, {}) (data.num_clients)", file.path(), name,
                                   i, ids[i], num_clients));
    owners[i] = static_cast<std::int32_t>(ids[i]);
    seen[static_cast<std::size_t>(ids[i])] = 1;
  }
  if (every_client) {
    for (int c = 0; c < num_clients; ++c)
      if (!seen[static_cast<std::size_t>(c)])
        throw InputError(fmt::format("data.num_clients: {} clients, but client {} owns no sample in {} of {} (expected "
                                     "each id in [0, data.num_clients) to own one at least)",
                                     num_clients, c, name, file.path()));
  }
  return owners;
}

}  // namespace

DataSplit load_hdf5_dataset(const std::string& path, const DataConfig& config) {
  const ArrayFile file(path, "data.path");
  const int num_classes = read_num_classes(file);
  const float x_scale = read_x_scale(file);
  DataSplit split{read_split(file, "/train", num_classes, x_scale), read_split(file, "/test", num_classes, x_scale)};
  split.name = file.text_attribute("name").value_or("");
  if (split.test.sample_shape != split.train.sample_shape)
    throw InputError(fmt::format("data.path: {}: /test/x samples are [{}] but /train/x samples are [{}]", path,
                                 fmt::join(split.test.sample_shape, ", "), fmt::join(split.train.sample_shape, ", ")));
  if (config.partition.kind == PartitionKind::Natural) {
    if (!file.has("/train/client"))
      throw InputError(fmt::format("data.partition.kind: natural needs /train/client (each sample's owner) in {}, "
                                   "which has none",
                                   path));
    split.train.natural_owner = read_owners(file, "/train", split.train.size(), config.num_clients, true);
    if (file.has("/test/client"))
      split.test.natural_owner = read_owners(file, "/test", split.test.size(), config.num_clients, false);
  }
  return split;
}

}  // namespace fedhpc
