// TorchScript models (model.torchscript): the only file that includes the
// TorchScript loader.
#include <torch/script.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "model/catalog.hpp"
#include "model/net.hpp"
#include "model/saved_tensor.hpp"

namespace fedhpc {

namespace {

// nn::Module names may not contain dots; a submodule's "conv1.weight" becomes "conv1_weight".
std::string flat_name(std::string name) {
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

// What a LibTorch error says, without its C++ and TorchScript backtrace: the
// line after the last "Error: " (the interpreter's report ends with the
// exception it raised), else the first line.
std::string reason(const std::string& what) {
  const auto at = what.rfind("Error: ");
  const std::string tail = at == std::string::npos ? what : what.substr(at + 7);
  return tail.substr(0, tail.find('\n'));
}

class ScriptedNet final : public Net {
 public:
  explicit ScriptedNet(torch::jit::Module module) : module_(std::move(module)) {
    for (const auto& p : module_.named_parameters(/*recurse=*/true)) register_parameter(flat_name(p.name), p.value);
    for (const auto& b : module_.named_buffers(/*recurse=*/true))
      register_buffer(flat_name(b.name), b.value);
  }
  torch::Tensor forward(torch::Tensor x) override { return module_.forward({std::move(x)}).toTensor(); }
  void train(bool on) override {
    Net::train(on);
    module_.train(on);
  }

 private:
  torch::jit::Module module_;
};

std::string shape_text(c10::IntArrayRef shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

// Two zero samples through the module: it must accept the data's shape and
// return one logit per class.
void probe(ScriptedNet& net, const std::string& path, std::span<const std::int64_t> sample_shape,
           std::int64_t num_classes) {
  std::vector<std::int64_t> shape{2};
  shape.insert(shape.end(), sample_shape.begin(), sample_shape.end());
  torch::NoGradGuard no_grad;
  torch::Tensor out;
  // In eval mode: in training mode the probe would move BatchNorm's running
  // statistics, and the initial weights would not be the file's.
  const bool training = net.is_training();
  net.train(false);
  try {
    out = net.forward(torch::zeros(shape));
    net.train(training);
  } catch (const std::exception& e) {
    throw InputError(fmt::format("model.torchscript: {}: expected a module taking a batch of the data's samples "
                                 "{}, but it failed on one: {}",
                                 path, shape_text(shape), reason(e.what())));
  }
  if (out.dim() != 2 || out.size(0) != 2 || out.size(1) != num_classes)
    throw InputError(fmt::format("model.torchscript: {}: expected output (batch, num_classes) = [2, {}] for a batch "
                                 "{}, found {}",
                                 path, num_classes, shape_text(shape), shape_text(out.sizes())));
  if (out.scalar_type() != torch::kFloat)
    throw InputError(fmt::format("model.torchscript: {}: expected float32 logits, found {}", path,
                                 c10::toString(out.scalar_type())));
}

}  // namespace

std::shared_ptr<Net> load_scripted_net(const std::string& path, std::span<const std::int64_t> sample_shape,
                                       std::int64_t num_classes) {
  torch::jit::Module module;
  try {
    module = torch::jit::load(path, torch::kCPU);
  } catch (const std::exception& e) {
    throw InputError(fmt::format("model.torchscript: {}: expected a TorchScript module saved by torch.jit.save, but "
                                 "it does not load: {}",
                                 path, reason(e.what())));
  }
  auto net = std::make_shared<ScriptedNet>(std::move(module));
  probe(*net, path, sample_shape, num_classes);
  return net;
}

namespace {

// The built-in models were written for one input each; a data file of
// another shape is bad input, not a LibTorch error deep in training.
void check_input(const ModelInfo& info, std::span<const std::int64_t> sample_shape) {
  const std::vector<std::int64_t> shape(sample_shape.begin(), sample_shape.end());
  if (info.input == ModelInput::Images && shape != std::vector<std::int64_t>{1, 28, 28})
    throw InputError(fmt::format("model.name: {} needs 1x28x28 images, but the data's samples are {}", info.name,
                                 shape_text(shape)));
  if (info.input == ModelInput::Characters && shape.size() != 1)
    throw InputError(fmt::format("model.name: {} needs sequences of character indices (samples [length]), but the "
                                 "data's samples are {}",
                                 info.name, shape_text(shape)));
}

}  // namespace

std::vector<float> read_saved_tensor(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("model.init: {}: no such file", path));
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  c10::IValue value;
  torch::Tensor t;
  try {
    value = torch::pickle_load(bytes);
    if (value.isTensor()) t = value.toTensor().to(torch::kCPU, torch::kFloat).contiguous().flatten();
  } catch (const std::exception& e) {
    throw InputError(fmt::format("model.init: {}: expected an HDF5 file or a tensor saved with torch.save, but it "
                                 "does not load: {}",
                                 path, reason(e.what())));
  }
  if (!value.isTensor())
    throw InputError(fmt::format("model.init: {}: expected one tensor (torch.save(tensor)), found {}", path,
                                 value.tagKind()));
  return {t.data_ptr<float>(), t.data_ptr<float>() + t.numel()};
}

std::shared_ptr<Net> make_model(const ModelConfig& model, std::span<const std::int64_t> sample_shape,
                                std::int64_t num_classes) {
  if (!model.torchscript.empty()) return load_scripted_net(model.torchscript, sample_shape, num_classes);
  if (const ModelInfo* info = find_model(model.name)) check_input(*info, sample_shape);
  const std::int64_t in_features =
      std::accumulate(sample_shape.begin(), sample_shape.end(), std::int64_t{1}, std::multiplies<>());
  return make_net(model.name, in_features, num_classes);
}

}  // namespace fedhpc
