#pragma once
// Reading a tensor saved by Python's torch.save (model.init: FILE.pt),
// without LibTorch in the caller (implemented in model/scripted_net.cpp).
#include <string>
#include <vector>

namespace fedhpc {

// Every element of the tensor in `path`, as float32, in row-major order.
// InputError naming model.init when the file does not hold one tensor.
std::vector<float> read_saved_tensor(const std::string& path);

}  // namespace fedhpc
