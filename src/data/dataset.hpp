#pragma once
// An in-memory labelled data set. Every rank holds the whole training and test
// set (Fashion-MNIST is 188 MB as floats); a virtual client is only a list of
// indices into it, so hosting thousands of clients costs nothing extra.
#include <cstdint>
#include <string>
#include <vector>

#include "config/schema.hpp"

namespace fedhpc {

struct Dataset {
  std::vector<float> features;         // size() x feature_size(), row-major
  std::vector<std::int64_t> labels;    // in [0, num_classes)
  std::vector<std::int64_t> sample_shape;  // {1, 28, 28} for images, {dim} for vectors
  int num_classes = 0;
  // The client that owns each sample, where the data set has its own
  // clients (synthetic devices, /train/client of an HDF5 file, Brown
  // documents): used by the `natural` partition on the training set, and
  // by per-client evaluation on the test set. Empty otherwise.
  std::vector<std::int32_t> natural_owner;

  std::int64_t size() const { return static_cast<std::int64_t>(labels.size()); }
  std::int64_t feature_size() const;
};

struct DataSplit {
  Dataset train;
  Dataset test;
  std::string name = {};  // what a data file calls itself (its attribute name), recorded with the run
};

// Uniform [0, 1) features and uniform labels, from `seed` alone: data for
// benchmarks and tests that time or check training, not learning.
Dataset random_dataset(std::int64_t num_samples, std::vector<std::int64_t> sample_shape, int num_classes,
                       std::uint64_t seed);

// Loads or generates the configured data set (data/load_dataset.cpp). Bad
// files are InputErrors that name the file and what was wrong with it.
DataSplit load_dataset(const DataConfig& config, std::uint64_t seed);

}  // namespace fedhpc
