#pragma once
// The table of models fedhpc can build, readable without LibTorch so config
// validation and `fedhpc list models` stay cheap to compile.
#include <span>
#include <string_view>

namespace fedhpc {

struct ModelInfo {
  std::string_view name;
  std::string_view description;
  bool needs_images;  // expects 1x28x28 inputs (convolutional models)
};

std::span<const ModelInfo> model_catalog();
const ModelInfo* find_model(std::string_view name);

}  // namespace fedhpc
