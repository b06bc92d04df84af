#pragma once
// LibTorch side of the model registry. Include only from the few .cpp files
// that must see torch (compile cost: ~45 s per file on 2 cores).
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "config/schema.hpp"

namespace fedhpc {

// Every model maps a batch [B, sample_shape...] to logits [B, num_classes].
struct Net : torch::nn::Module {
  virtual torch::Tensor forward(torch::Tensor x) = 0;
};

// Builds a model from model_catalog() by name; in_features is the flattened
// sample size (784 for images). Throws InputError for an unknown name.
std::shared_ptr<Net> make_net(std::string_view name, std::int64_t in_features, std::int64_t num_classes);

// A TorchScript module (model.torchscript) as a Net: its parameters and
// buffers registered as the Net's own (the same tensors, not copies), its
// forward called for the Net's, its weights those saved in the file. Probed
// with a batch of two zero samples; InputError naming the file when it does
// not load, rejects the input shape, or does not return [2, num_classes].
std::shared_ptr<Net> load_scripted_net(const std::string& path, std::span<const std::int64_t> sample_shape,
                                       std::int64_t num_classes);

// The run's model: model.torchscript when set, else the built-in model.name.
std::shared_ptr<Net> make_model(const ModelConfig& model, std::span<const std::int64_t> sample_shape,
                                std::int64_t num_classes);

// K models of one architecture at once (runtime.client_batch): params[i] is
// the i-th parameter of make_net(name) stacked over the K models, [K, shape...],
// except that 2-D parameters (linear weights [out, in]) are stacked transposed,
// [K, in, out], so the batched product's gradient arrives in the parameter's
// own layout (no copy per step); x is [K, B, sample_shape...]; returns logits
// [K, B, num_classes]. Linear layers become one batched matrix product,
// convolutions one convolution with K groups, so K small clients cost about
// one call per layer, not K.
torch::Tensor stacked_forward(std::string_view name, const std::vector<torch::Tensor>& params, torch::Tensor x);

// The flat layout used everywhere (aggregation, broadcast, /model/final):
// parameters then buffers, each in registration order, as float32.
std::int64_t flat_size(Net& net);
void flatten_into(Net& net, std::span<float> out);
void load_flat(Net& net, std::span<const float> flat);

}  // namespace fedhpc
