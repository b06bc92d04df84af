#include "model/catalog.hpp"

#include <array>

namespace fedhpc {

namespace {
// Keep in the order of model/models.cpp's factory table.
constexpr std::array<ModelInfo, 5> kModels{{
    {"logreg", "multinomial logistic regression (FedProx synthetic)", ModelInput::Any, true},
    {"mlp_2nn", "MLP 784-200-200-10 with ReLU (McMahan et al. 2NN, 199,210 params)", ModelInput::Any, true},
    {"cnn_mcmahan", "CNN 5x5x32, pool, 5x5x64, pool, FC 512, FC 10 (McMahan et al., 1,663,370 params)",
     ModelInput::Images, true},
    {"cnn_simple", "LeNet-style CNN 6-16-120-84-10 (NIID-Bench simple-cnn, 44,426 params)", ModelInput::Images, true},
    {"char_lstm", "next character: embedding 8, 2 LSTM layers of 256, FC to the vocabulary (LEAF's Shakespeare model)",
     ModelInput::Characters, false},
}};
}  // namespace

std::span<const ModelInfo> model_catalog() { return kModels; }

const ModelInfo* find_model(std::string_view name) {
  for (const auto& m : kModels)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace fedhpc
