#pragma once
// fedhpc's own data format (docs/data_format.md): one HDF5 file with
// /train/{x,y[,client]}, /test/{x,y[,client]} and the root attributes
// num_classes, name and x_scale. The MNIST digits of the set-up are stored in it.
#include <string>

#include "config/schema.hpp"
#include "data/dataset.hpp"

namespace fedhpc {

// Reads and checks `path`: every problem is an InputError naming the file and
// what is wrong (a missing dataset, lengths that disagree, a label outside
// [0, num_classes), an owner outside [0, data.num_clients)). Owners are read
// into natural_owner only for data.partition.kind natural, which needs them.
DataSplit load_hdf5_dataset(const std::string& path, const DataConfig& config);

}  // namespace fedhpc
