#include "model/catalog.hpp"

#include <array>

namespace fedhpc {

namespace {
// Keep in the order of model/models.cpp's factory table.
constexpr std::array<ModelInfo, 4> kModels{{
    {"logreg", "multinomial logistic regression (FedProx synthetic)", false},
    {"mlp_2nn", "MLP 784-200-200-10 with ReLU (McMahan et al. 2NN, 199,210 params)", false},
    {"cnn_mcmahan", "CNN 5x5x32, pool, 5x5x64, pool, FC 512, FC 10 (McMahan et al., 1,663,370 params)", true},
    {"cnn_simple", "LeNet-style CNN 6-16-120-84-10 (NIID-Bench simple-cnn, 44,426 params)", true},
}};
}  // namespace

std::span<const ModelInfo> model_catalog() { return kModels; }

const ModelInfo* find_model(std::string_view name) {
  for (const auto& m : kModels)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace fedhpc
