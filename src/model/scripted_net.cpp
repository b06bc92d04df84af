// TorchScript models (model.torchscript): the only file that includes the
// TorchScript loader.
#include <torch/script.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "model/net.hpp"

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
  try {
    out = net.forward(torch::zeros(shape));
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

std::shared_ptr<Net> make_model(const ModelConfig& model, std::span<const std::int64_t> sample_shape,
                                std::int64_t num_classes) {
  if (!model.torchscript.empty()) return load_scripted_net(model.torchscript, sample_shape, num_classes);
  const std::int64_t in_features =
      std::accumulate(sample_shape.begin(), sample_shape.end(), std::int64_t{1}, std::multiplies<>());
  return make_net(model.name, in_features, num_classes);
}

}  // namespace fedhpc
