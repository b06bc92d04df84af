#pragma once
// model.init: a run that starts from given weights (a previous run's final
// model, a model trained elsewhere) instead of its own initial draw.
#include <cstdint>
#include <string>
#include <vector>

namespace fedhpc {

// The flat parameter vector in `path`: an HDF5 file's /model/final (a
// finished fedhpc results file) or /model/init (any HDF5 file), or a tensor
// saved with torch.save. InputError naming model.init when the file holds
// none, a results file's run did not finish, or the vector does not have
// the model's `size` floats.
std::vector<float> read_initial_model(const std::string& path, std::int64_t size);

}  // namespace fedhpc
