#pragma once
// The table of models fedhpc can build, readable without LibTorch so config
// validation and `fedhpc list models` stay cheap to compile.
#include <span>
#include <string_view>

namespace fedhpc {

enum class ModelInput {
  Any,         // any sample shape, flattened
  Images,      // 1x28x28 images (the convolutional models)
  Characters,  // sequences of character indices below the number of classes (char_lstm)
};

struct ModelInfo {
  std::string_view name;
  std::string_view description;
  ModelInput input;
  bool groupable;  // has a stacked form for runtime.client_batch
};

std::span<const ModelInfo> model_catalog();
const ModelInfo* find_model(std::string_view name);

}  // namespace fedhpc
