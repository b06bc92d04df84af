#pragma once
// DeviceSpec as LibTorch's device, for the trainers' .cpp files only (it
// includes torch/torch.h; trainer.hpp stays free of it).
#include <torch/torch.h>

#include "client/trainer.hpp"

namespace fedhpc {

inline torch::Device torch_device(const DeviceSpec& d) {
  return d.cuda ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(d.index)) : torch::Device(torch::kCPU);
}

}  // namespace fedhpc
