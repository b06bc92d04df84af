// The model zoo. All four live in one translation unit on purpose: each file
// that includes torch/torch.h costs ~45 s of compile time.
#include "core/error.hpp"
#include "model/catalog.hpp"
#include "model/net.hpp"

namespace fedhpc {

namespace nn = torch::nn;

namespace {

struct LogReg : Net {
  nn::Linear fc{nullptr};
  LogReg(std::int64_t in, std::int64_t classes) { fc = register_module("fc", nn::Linear(in, classes)); }
  torch::Tensor forward(torch::Tensor x) override { return fc->forward(x.flatten(1)); }
};

// McMahan et al. 2NN: 784-200-200-10, ReLU (199,210 parameters on images).
struct Mlp2nn : Net {
  nn::Linear fc1{nullptr}, fc2{nullptr}, fc3{nullptr};
  Mlp2nn(std::int64_t in, std::int64_t classes) {
    fc1 = register_module("fc1", nn::Linear(in, 200));
    fc2 = register_module("fc2", nn::Linear(200, 200));
    fc3 = register_module("fc3", nn::Linear(200, classes));
  }
  torch::Tensor forward(torch::Tensor x) override {
    x = torch::relu(fc1->forward(x.flatten(1)));
    x = torch::relu(fc2->forward(x));
    return fc3->forward(x);
  }
};

// McMahan et al. CNN: 5x5 convs with "same" padding (28 -> 14 -> 7), so the
// FC input is 7*7*64 = 3136 and the total is 1,663,370 parameters.
struct CnnMcMahan : Net {
  nn::Conv2d conv1{nullptr}, conv2{nullptr};
  nn::Linear fc1{nullptr}, fc2{nullptr};
  explicit CnnMcMahan(std::int64_t classes) {
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(1, 32, 5).padding(2)));
    conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(32, 64, 5).padding(2)));
    fc1 = register_module("fc1", nn::Linear(3136, 512));
    fc2 = register_module("fc2", nn::Linear(512, classes));
  }
  torch::Tensor forward(torch::Tensor x) override {
    x = torch::max_pool2d(torch::relu(conv1->forward(x)), 2);
    x = torch::max_pool2d(torch::relu(conv2->forward(x)), 2);
    x = torch::relu(fc1->forward(x.flatten(1)));
    return fc2->forward(x);
  }
};

// NIID-Bench SimpleCNNMNIST: conv(1->6,5) pool conv(6->16,5) pool, 256-120-84-10,
// no padding (44,426 parameters).
struct CnnSimple : Net {
  nn::Conv2d conv1{nullptr}, conv2{nullptr};
  nn::Linear fc1{nullptr}, fc2{nullptr}, fc3{nullptr};
  explicit CnnSimple(std::int64_t classes) {
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(1, 6, 5)));
    conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(6, 16, 5)));
    fc1 = register_module("fc1", nn::Linear(256, 120));
    fc2 = register_module("fc2", nn::Linear(120, 84));
    fc3 = register_module("fc3", nn::Linear(84, classes));
  }
  torch::Tensor forward(torch::Tensor x) override {
    x = torch::max_pool2d(torch::relu(conv1->forward(x)), 2);
    x = torch::max_pool2d(torch::relu(conv2->forward(x)), 2);
    x = torch::relu(fc1->forward(x.flatten(1)));
    x = torch::relu(fc2->forward(x));
    return fc3->forward(x);
  }
};

// LEAF's next-character model for Shakespeare (Caldas et al. 2018): an
// 8-dimensional embedding of each character, two LSTM layers of 256 units,
// and a linear layer from the last step's output to the vocabulary. The
// input is character indices carried as floats (the data sets hold floats).
struct CharLstm : Net {
  nn::Embedding embedding{nullptr};
  nn::LSTM lstm{nullptr};
  nn::Linear fc{nullptr};
  explicit CharLstm(std::int64_t vocabulary) {
    embedding = register_module("embedding", nn::Embedding(vocabulary, 8));
    lstm = register_module("lstm", nn::LSTM(nn::LSTMOptions(8, 256).num_layers(2).batch_first(true)));
    fc = register_module("fc", nn::Linear(256, vocabulary));
  }
  torch::Tensor forward(torch::Tensor x) override {
    auto out = std::get<0>(lstm->forward(embedding->forward(x.to(torch::kLong))));
    return fc->forward(out.select(1, -1));
  }
};

// The same four architectures over K stacked models (stacked_forward). Each
// mirrors the Net above layer for layer; tests/unit/client/test_group_trainer.cpp
// checks every model against its Net, so the two cannot drift apart.
//
// Linear: x [K, B, in], W^T [K, in, out] (stacked transposed), b [K, out] -> [K, B, out].
torch::Tensor stacked_linear(const torch::Tensor& x, const torch::Tensor& wt, const torch::Tensor& b) {
  return torch::baddbmm(b.unsqueeze(1), x, wt);
}

// Convolutions keep the K models side by side in the channel dimension:
// [B, K*C, H, W], each model one group, so one call convolves all of them.
torch::Tensor to_grouped(const torch::Tensor& x) {  // [K, B, C, H, W] -> [B, K*C, H, W]
  const auto s = x.sizes();
  return x.transpose(0, 1).reshape({s[1], s[0] * s[2], s[3], s[4]});
}
torch::Tensor from_grouped(const torch::Tensor& x, std::int64_t k) {  // [B, K*C, H, W] -> [K, B, C*H*W]
  return x.reshape({x.size(0), k, -1}).transpose(0, 1);
}
torch::Tensor stacked_conv(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, std::int64_t pad) {
  const std::int64_t k = w.size(0);
  return torch::conv2d(x, w.flatten(0, 1), b.flatten(), /*stride=*/1, pad, /*dilation=*/1, /*groups=*/k);
}
torch::Tensor conv_block(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b, std::int64_t pad) {
  return torch::max_pool2d(torch::relu(stacked_conv(x, w, b, pad)), 2);
}

using Params = std::vector<torch::Tensor>;
torch::Tensor stacked_logreg(const Params& p, const torch::Tensor& x) {
  return stacked_linear(x.flatten(2), p[0], p[1]);
}
torch::Tensor stacked_mlp_2nn(const Params& p, const torch::Tensor& x) {
  auto h = torch::relu(stacked_linear(x.flatten(2), p[0], p[1]));
  h = torch::relu(stacked_linear(h, p[2], p[3]));
  return stacked_linear(h, p[4], p[5]);
}
// Both CNNs open with two conv -> relu -> 2x2 max-pool blocks (params 0-3),
// flattened per model: [K, B, features].
torch::Tensor stacked_conv_trunk(const Params& p, const torch::Tensor& x, std::int64_t pad) {
  const auto h = conv_block(to_grouped(x), p[0], p[1], pad);
  return from_grouped(conv_block(h, p[2], p[3], pad), p[0].size(0));
}
torch::Tensor stacked_cnn_mcmahan(const Params& p, const torch::Tensor& x) {
  const auto h = torch::relu(stacked_linear(stacked_conv_trunk(p, x, 2), p[4], p[5]));
  return stacked_linear(h, p[6], p[7]);
}
torch::Tensor stacked_cnn_simple(const Params& p, const torch::Tensor& x) {
  auto h = torch::relu(stacked_linear(stacked_conv_trunk(p, x, 0), p[4], p[5]));
  h = torch::relu(stacked_linear(h, p[6], p[7]));
  return stacked_linear(h, p[8], p[9]);
}

using Factory = std::shared_ptr<Net> (*)(std::int64_t in, std::int64_t classes);
using StackedForward = torch::Tensor (*)(const Params& params, const torch::Tensor& x);

struct FactoryEntry {
  std::string_view name;
  Factory make;
  StackedForward stacked;
};

// An explicit table, not self-registering statics (the linker drops those
// from static libraries). Names must match model/catalog.cpp.
const FactoryEntry kFactories[] = {
    {"logreg", [](std::int64_t in, std::int64_t k) -> std::shared_ptr<Net> { return std::make_shared<LogReg>(in, k); },
     stacked_logreg},
    {"mlp_2nn", [](std::int64_t in, std::int64_t k) -> std::shared_ptr<Net> { return std::make_shared<Mlp2nn>(in, k); },
     stacked_mlp_2nn},
    {"cnn_mcmahan", [](std::int64_t, std::int64_t k) -> std::shared_ptr<Net> { return std::make_shared<CnnMcMahan>(k); },
     stacked_cnn_mcmahan},
    {"cnn_simple", [](std::int64_t, std::int64_t k) -> std::shared_ptr<Net> { return std::make_shared<CnnSimple>(k); },
     stacked_cnn_simple},
    {"char_lstm", [](std::int64_t, std::int64_t k) -> std::shared_ptr<Net> { return std::make_shared<CharLstm>(k); },
     nullptr},
};

const FactoryEntry& factory(std::string_view name) {
  for (const auto& f : kFactories)
    if (f.name == name) return f;
  throw InputError(fmt::format("model.name: unknown model '{}'", name));
}

std::vector<torch::Tensor> flat_tensors(Net& net) {
  std::vector<torch::Tensor> all = net.parameters();
  for (auto& b : net.buffers()) all.push_back(b);
  return all;
}

}  // namespace

std::shared_ptr<Net> make_net(std::string_view name, std::int64_t in_features, std::int64_t num_classes) {
  return factory(name).make(in_features, num_classes);
}

torch::Tensor stacked_forward(std::string_view name, const std::vector<torch::Tensor>& params, torch::Tensor x) {
  const auto& f = factory(name);
  FEDHPC_CHECK(f.stacked != nullptr, "model {} has no stacked form for runtime.client_batch", name);
  return f.stacked(params, x);
}

std::int64_t flat_size(Net& net) {
  std::int64_t n = 0;
  for (const auto& t : flat_tensors(net)) n += t.numel();
  return n;
}

void flatten_into(Net& net, std::span<float> out) {
  torch::NoGradGuard no_grad;
  std::size_t offset = 0;
  for (const auto& t : flat_tensors(net)) {
    auto cpu = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    const auto n = static_cast<std::size_t>(cpu.numel());
    FEDHPC_CHECK(offset + n <= out.size(), "flat buffer of {} too small", out.size());
    std::memcpy(out.data() + offset, cpu.data_ptr<float>(), n * sizeof(float));
    offset += n;
  }
  FEDHPC_CHECK(offset == out.size(), "flat buffer has {} floats, model {}", out.size(), offset);
}

void load_flat(Net& net, std::span<const float> flat) {
  torch::NoGradGuard no_grad;
  std::size_t offset = 0;
  for (auto& t : flat_tensors(net)) {
    const auto n = static_cast<std::size_t>(t.numel());
    FEDHPC_CHECK(offset + n <= flat.size(), "flat vector of {} too small", flat.size());
    auto src = torch::from_blob(const_cast<float*>(flat.data() + offset), t.sizes(), torch::kFloat);
    t.copy_(src.to(t.dtype()));  // copy_ also moves to the tensor's device
    offset += n;
  }
  FEDHPC_CHECK(offset == flat.size(), "flat vector has {} floats, model {}", flat.size(), offset);
}

}  // namespace fedhpc
