#include "data/dataset.hpp"

#include <filesystem>
#include <functional>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "data/idx_reader.hpp"
#include "data/synthetic.hpp"

namespace fedhpc {

std::int64_t Dataset::feature_size() const {
  return std::accumulate(sample_shape.begin(), sample_shape.end(), std::int64_t{1}, std::multiplies<>());
}

Dataset random_dataset(std::int64_t num_samples, std::vector<std::int64_t> sample_shape, int num_classes,
                       std::uint64_t seed) {
  Dataset d;
  d.sample_shape = std::move(sample_shape);
  d.num_classes = num_classes;
  Rng rng(seed);
  d.features.resize(static_cast<std::size_t>(num_samples * d.feature_size()));
  for (auto& v : d.features) v = static_cast<float>(rng.uniform());
  d.labels.resize(static_cast<std::size_t>(num_samples));
  for (auto& y : d.labels) y = static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(num_classes)));
  return d;
}

namespace {

// Prefers the gzip'd file the Debian package ships, falls back to a raw one.
std::string find_idx_file(const std::string& dir, const std::string& stem) {
  for (const std::string& candidate : {dir + "/" + stem + ".gz", dir + "/" + stem}) {
    if (std::filesystem::exists(candidate)) return candidate;
  }
  throw InputError(fmt::format("data.path: {}/{}(.gz) not found (install the package dataset-fashion-mnist, or set "
                               "data.path to a folder with the four idx files)",
                               dir, stem));
}

Dataset load_fashion_mnist_split(const std::string& dir, const std::string& prefix) {
  const std::string image_path = find_idx_file(dir, prefix + "-images-idx3-ubyte");
  const std::string label_path = find_idx_file(dir, prefix + "-labels-idx1-ubyte");
  IdxArray images = read_idx(image_path, 3);
  IdxArray labels = read_idx(label_path, 1);
  if (images.dims[1] != 28 || images.dims[2] != 28) {
    throw InputError(fmt::format("{}: expected 28x28 images, found {}x{}", image_path, images.dims[1], images.dims[2]));
  }
  if (images.dims[0] != labels.dims[0]) {
    throw InputError(fmt::format("{}: holds {} labels, but {} holds {} images", label_path, labels.dims[0], image_path,
                                 images.dims[0]));
  }
  Dataset d;
  d.sample_shape = {1, 28, 28};
  d.num_classes = 10;
  d.features.resize(images.data.size());
  // ToTensor() scaling only ([0, 1] pixels), as NIID-Bench does for FMNIST.
  for (std::size_t i = 0; i < images.data.size(); ++i) d.features[i] = static_cast<float>(images.data[i]) / 255.0f;
  d.labels.resize(labels.data.size());
  for (std::size_t i = 0; i < labels.data.size(); ++i) {
    if (labels.data[i] >= 10)
      throw InputError(fmt::format("{}: label {} at index {} is outside 0..9", label_path, labels.data[i], i));
    d.labels[i] = labels.data[i];
  }
  return d;
}

}  // namespace

DataSplit load_dataset(const DataConfig& config, std::uint64_t seed) {
  switch (config.dataset) {
    case DatasetKind::FashionMnist:
      return {load_fashion_mnist_split(config.path, "train"), load_fashion_mnist_split(config.path, "t10k")};
    case DatasetKind::Synthetic:
      return config.synthetic.on_demand ? make_synthetic_on_demand(config.synthetic, config.num_clients, seed)
                                        : make_synthetic(config.synthetic, config.num_clients, seed);
  }
  throw Error("unknown dataset kind");
}

}  // namespace fedhpc
