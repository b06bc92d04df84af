#pragma once
// LibTorch side of the model registry. Include only from the few .cpp files
// that must see torch (compile cost: ~45 s per file on 2 cores).
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace fedhpc {

// Every model maps a batch [B, sample_shape...] to logits [B, num_classes].
struct Net : torch::nn::Module {
  virtual torch::Tensor forward(torch::Tensor x) = 0;
};

// Builds a model from model_catalog() by name; in_features is the flattened
// sample size (784 for images). Throws InputError for an unknown name.
std::shared_ptr<Net> make_net(std::string_view name, std::int64_t in_features, std::int64_t num_classes);

// The flat layout used everywhere (aggregation, broadcast, /model/final):
// parameters then buffers, each in registration order, as float32.
std::int64_t flat_size(Net& net);
void flatten_into(Net& net, std::span<float> out);
void load_flat(Net& net, std::span<const float> flat);

}  // namespace fedhpc
