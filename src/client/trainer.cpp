#include "client/trainer.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "core/fixed_point.hpp"
#include "core/rng.hpp"
#include "client/torch_device.hpp"
#include "model/net.hpp"

#include <ATen/Version.h>

namespace fedhpc {

namespace {
class TermSteps;
}  // namespace

struct LocalTrainer::Impl {
  const RunConfig& config;
  const Dataset& train_set;
  const Dataset& test_set;
  torch::Device device;
  std::shared_ptr<Net> net;
  std::vector<float> batch_x;  // reused staging buffers
  std::vector<std::int64_t> batch_y;

  bool staged;

  double full_pass(const Dataset& data, std::span<const std::int64_t> indices, bool grad);
  double minibatches(const Dataset& data, std::span<const std::int64_t> indices, Rng& rng, std::int64_t step_limit,
                     TermSteps& terms, torch::optim::SGD& opt, std::int64_t& steps);

  Impl(const RunConfig& c, const Dataset& tr, const Dataset& te, DeviceSpec d)
      : config(c),
        train_set(tr),
        test_set(te),
        device(torch_device(d)),
        staged(d.cuda || d.stage_client_data) {
    net = make_model(config.model, train_set.sample_shape, train_set.num_classes);
    net->to(device);
  }

  // Gathers the rows `idx` of `data` into a [B, shape...] tensor on the device.
  std::pair<torch::Tensor, torch::Tensor> batch(const Dataset& data, std::span<const std::int64_t> idx) {
    const std::int64_t fs = data.feature_size();
    const auto b = static_cast<std::int64_t>(idx.size());
    batch_x.resize(static_cast<std::size_t>(b * fs));
    batch_y.resize(static_cast<std::size_t>(b));
    for (std::int64_t i = 0; i < b; ++i) {
      const auto row = static_cast<std::size_t>(idx[static_cast<std::size_t>(i)]);
      std::memcpy(batch_x.data() + static_cast<std::size_t>(i * fs), data.features.data() + row * static_cast<std::size_t>(fs),
                  static_cast<std::size_t>(fs) * sizeof(float));
      batch_y[static_cast<std::size_t>(i)] = data.labels[row];
    }
    std::vector<std::int64_t> shape{b};
    shape.insert(shape.end(), data.sample_shape.begin(), data.sample_shape.end());
    auto x = torch::from_blob(batch_x.data(), shape, torch::kFloat);
    auto y = torch::from_blob(batch_y.data(), {b}, torch::kLong);
    // On the CPU the staging buffers are used in place: each batch's forward
    // and backward finish before the buffers are refilled.
    if (device.is_cpu()) return {x, y};
    return {x.to(device), y.to(device)};
  }
};

LocalTrainer::LocalTrainer(const RunConfig& config, const Dataset& train, const Dataset& test, DeviceSpec device)
    : impl_(std::make_unique<Impl>(config, train, test, device)) {}

LocalTrainer::~LocalTrainer() = default;

std::int64_t LocalTrainer::num_params() const { return flat_size(*impl_->net); }

std::int64_t LocalTrainer::num_buffer_values() const {
  std::int64_t n = 0;
  for (const auto& b : impl_->net->buffers()) n += b.numel();
  return n;
}

std::vector<float> LocalTrainer::initial_params() {
  torch::manual_seed(derive_seed(impl_->config.seed, Stream::Init, 0, 0));
  auto fresh = make_model(impl_->config.model, impl_->train_set.sample_shape, impl_->train_set.num_classes);
  std::vector<float> flat(static_cast<std::size_t>(flat_size(*fresh)));
  flatten_into(*fresh, flat);
  return flat;
}

std::int64_t LocalTrainer::planned_steps(const RunConfig& config, bool full_batch, std::int64_t num_samples) {
  if (num_samples <= 0) return 0;
  if (full_batch) return 1;
  if (config.train.local_steps > 0) return config.train.local_steps;
  const std::int64_t bs = std::min<std::int64_t>(config.train.batch_size, num_samples);
  return config.train.local_epochs * ((num_samples + bs - 1) / bs);
}

LocalTrainer::BatchSchedule LocalTrainer::batch_schedule(const RunConfig& config, bool full_batch,
                                                         std::int64_t num_samples, std::int64_t step_limit) {
  BatchSchedule s;
  if (num_samples <= 0) return s;
  s.batch_size = std::min<std::int64_t>(config.train.batch_size, num_samples);
  s.batches_per_epoch = (num_samples + s.batch_size - 1) / s.batch_size;
  const std::int64_t planned = planned_steps(config, full_batch, num_samples);
  s.steps = step_limit >= 0 ? std::min(planned, step_limit) : planned;
  return s;
}

namespace {
// Views of a flat float vector shaped like each parameter (the flat layout
// starts with the parameters, in order), on `device`.
std::vector<torch::Tensor> parameter_views(Net& net, std::span<const float> flat, torch::Device device) {
  auto whole = torch::from_blob(const_cast<float*>(flat.data()), {static_cast<std::int64_t>(flat.size())},
                                torch::kFloat);
  if (!device.is_cpu()) whole = whole.to(device);
  std::vector<torch::Tensor> views;
  std::int64_t offset = 0;
  for (const auto& p : net.parameters()) {
    views.push_back(whole.narrow(0, offset, p.numel()).view(p.sizes()));
    offset += p.numel();
  }
  return views;
}
}  // namespace

TrainStats LocalTrainer::train(ClientId client, Round round, std::span<const std::int64_t> indices,
                               std::span<const float> global, std::span<float> delta_out, const ClientHooks& hooks) {
  return train(client, round, impl_->train_set, indices, global, delta_out, hooks);
}

namespace {

// The strategy's local terms (core/local_terms.hpp) as views over the model's
// parameters, applied around each optimizer step.
class TermSteps {
 public:
  TermSteps(Net& net, const LocalTerms& terms, std::span<const float> global, torch::Device device, double lr)
      : params_(net.parameters()), terms_(terms), lr_(lr) {
    if (terms.anchored) anchor_ = parameter_views(net, global, device);
    if (!terms.linear.empty()) linear_ = parameter_views(net, terms.linear, device);
    if (!terms.shift.empty()) shift_ = parameter_views(net, terms.shift, device);
  }

  void step(torch::optim::SGD& opt) {
    if (!anchor_.empty() || !linear_.empty()) {
      torch::NoGradGuard no_grad;
      for (std::size_t i = 0; i < params_.size(); ++i) {
        auto& grad = params_[i].mutable_grad();
        if (!anchor_.empty()) grad.add_(params_[i] - anchor_[i], terms_.anchor);
        if (!linear_.empty()) grad.sub_(linear_[i]);
      }
    }
    opt.step();
    if (!shift_.empty()) {
      torch::NoGradGuard no_grad;
      for (std::size_t i = 0; i < params_.size(); ++i) params_[i].sub_(shift_[i], lr_);
    }
  }

 private:
  std::vector<torch::Tensor> params_, anchor_, linear_, shift_;
  const LocalTerms& terms_;
  double lr_;
};

}  // namespace

// Sum of per-sample losses over the client's data in fixed chunks; with
// `grad`, backpropagates each chunk's share of the mean loss.
double LocalTrainer::Impl::full_pass(const Dataset& data, std::span<const std::int64_t> indices, bool grad) {
  const auto n = static_cast<std::int64_t>(indices.size());
  const int chunk = config.runtime.eval_batch_size;
  double total = 0.0;
  for (std::int64_t lo = 0; lo < n; lo += chunk) {
    const std::int64_t hi = std::min<std::int64_t>(n, lo + chunk);
    auto [x, y] = batch(data, indices.subspan(static_cast<std::size_t>(lo), static_cast<std::size_t>(hi - lo)));
    auto loss = torch::nn::functional::cross_entropy(
        net->forward(x), y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
    if (grad) (loss / static_cast<double>(n)).backward();
    total += loss.detach().item<double>();
  }
  return total;
}

// The minibatch epochs: a new permutation from the client's stream each
// epoch, one optimizer step per batch. Returns the mean loss over the samples
// seen; sets `steps`.
double LocalTrainer::Impl::minibatches(const Dataset& data, std::span<const std::int64_t> indices, Rng& rng,
                                       std::int64_t step_limit, TermSteps& terms, torch::optim::SGD& opt,
                                       std::int64_t& steps) {
  const auto n = static_cast<std::int64_t>(indices.size());
  const BatchSchedule schedule = LocalTrainer::batch_schedule(config, false, n, step_limit);
  const std::int64_t bs = schedule.batch_size;
  // Unstaged: `order` holds data-set rows, each batch is gathered on the
  // host. Staged: the client's rows go to the device once and `order` holds
  // positions 0..n-1 among them. The same draws shuffle both, so batch s
  // holds the same samples either way.
  std::vector<std::int64_t> order(indices.begin(), indices.end());
  torch::Tensor client_x, client_y, epoch_order;
  if (staged) {
    // batch() already copies to a GPU; on the CPU it returns views of
    // staging buffers that the next batch() call overwrites, so copy those.
    auto [x, y] = batch(data, indices);
    const bool views = device.is_cpu();
    client_x = x.to(device, /*non_blocking=*/false, /*copy=*/views);
    client_y = y.to(device, /*non_blocking=*/false, /*copy=*/views);
    for (std::int64_t i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  }
  const auto params = net->parameters();
  torch::Tensor loss_sum = torch::zeros({}, torch::TensorOptions().dtype(torch::kDouble).device(device));
  std::int64_t seen = 0;
  for (std::int64_t s = 0; s < schedule.steps; ++s) {
    const std::int64_t pos = s % schedule.batches_per_epoch;
    if (pos == 0) {
      rng.shuffle(order);  // a new epoch: a new permutation
      if (staged) epoch_order = torch::from_blob(order.data(), {n}, torch::kLong).to(device, false, /*copy=*/true);
    }
    const std::int64_t lo = pos * bs;
    const std::int64_t hi = std::min(n, lo + bs);
    torch::Tensor x, y;
    if (staged) {
      const auto rows = epoch_order.slice(0, lo, hi);
      x = client_x.index_select(0, rows);
      y = client_y.index_select(0, rows);
    } else {
      std::tie(x, y) = batch(data, std::span<const std::int64_t>(order).subspan(static_cast<std::size_t>(lo),
                                                                              static_cast<std::size_t>(hi - lo)));
    }
    // Gradients reset to undefined, not zero-filled: backward then writes
    // (or steals) a fresh buffer instead of adding into zeros, the same
    // values with two fewer kernels per parameter per step (PyTorch's
    // set_to_none, the default since 2.0; not in LibTorch 1.13's zero_grad).
    for (auto& p : params) p.mutable_grad().reset();
    auto loss = torch::nn::functional::cross_entropy(net->forward(x), y);
    loss.backward();
    terms.step(opt);
    // One in-place op per step (not to/mul/add: three dispatches, ~10% of
    // a small model's step); kept on the device so a GPU never syncs here.
    loss_sum.add_(loss.detach(), static_cast<double>(hi - lo));
    seen += hi - lo;
  }
  steps = schedule.steps;
  return loss_sum.item<double>() / static_cast<double>(seen);
}

TrainStats LocalTrainer::train(ClientId client, Round round, const Dataset& data, std::span<const std::int64_t> indices,
                               std::span<const float> global, std::span<float> delta_out, const ClientHooks& hooks) {
  const auto start = std::chrono::steady_clock::now();
  auto& m = *impl_;
  const TrainConfig& tc = m.config.train;
  const LocalTerms& terms = hooks.terms;
  TrainStats stats;
  stats.num_samples = static_cast<std::int64_t>(indices.size());
  if (indices.empty()) {
    std::fill(delta_out.begin(), delta_out.end(), 0.0f);
    return stats;
  }
  load_flat(*m.net, global);
  const auto n = static_cast<double>(indices.size());
  if (terms.initial_loss) {
    torch::NoGradGuard no_grad;
    m.net->eval();
    stats.initial_loss = m.full_pass(data, indices, false) / n;
  }

  m.net->train();
  const std::uint64_t seed = derive_seed(m.config.seed, Stream::Train, round, client);
  torch::manual_seed(seed);  // any stochastic layer draws from this client's stream
  Rng rng(seed);
  // A fresh optimizer per client: momentum never leaks between clients.
  torch::optim::SGD opt(m.net->parameters(),
                        torch::optim::SGDOptions(tc.lr).momentum(tc.momentum).weight_decay(tc.weight_decay));
  TermSteps steps(*m.net, terms, global, m.device, tc.lr);
  if (terms.full_batch) {
    opt.zero_grad();
    stats.loss = m.full_pass(data, indices, true) / n;
    steps.step(opt);
    stats.steps = 1;
  } else {
    stats.loss = m.minibatches(data, indices, rng, hooks.step_limit, steps, opt, stats.steps);
  }

  flatten_into(*m.net, delta_out);
  for (std::size_t i = 0; i < delta_out.size(); ++i) delta_out[i] -= global[i];
  // model.buffers local: what training did to the buffers (the flat
  // vector's tail) stays with the client and is never aggregated.
  if (m.config.model.buffers == BufferPolicy::Local) {
    const auto tail = static_cast<std::size_t>(num_buffer_values());
    std::fill(delta_out.end() - static_cast<std::ptrdiff_t>(tail), delta_out.end(), 0.0f);
  }
  stats.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

EvalStats LocalTrainer::evaluate(std::span<const float> params, std::int64_t begin, std::int64_t end, int batch_size,
                                 bool on_train, bool per_sample) {
  return evaluate_on(on_train ? impl_->train_set : impl_->test_set, params, begin, end, batch_size, per_sample);
}

EvalStats LocalTrainer::evaluate_on(const Dataset& data, std::span<const float> params, std::int64_t begin,
                                    std::int64_t end, int batch_size, bool per_sample) {
  auto& m = *impl_;
  torch::NoGradGuard no_grad;
  load_flat(*m.net, params);
  m.net->eval();
  EvalStats stats;
  std::vector<std::int64_t> idx;
  for (std::int64_t lo = begin; lo < end; lo += batch_size) {
    const std::int64_t hi = std::min<std::int64_t>(end, lo + batch_size);
    idx.resize(static_cast<std::size_t>(hi - lo));
    for (std::int64_t i = lo; i < hi; ++i) idx[static_cast<std::size_t>(i - lo)] = i;
    auto [x, y] = m.batch(data, idx);
    auto logits = m.net->forward(x);
    const double loss = torch::nn::functional::cross_entropy(
                            logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                            .item<double>();
    if (std::isnan(loss)) {
      ++stats.nan_batches;
    } else if (!fits_fixed(loss, kLossFixedBits)) {
      ++stats.overflow_batches;
    } else {
      stats.loss_fixed += to_fixed(loss, kLossFixedBits);
    }
    const auto hit = logits.argmax(1).eq(y);
    stats.correct += hit.sum().item<std::int64_t>();
    if (per_sample) {
      const auto bytes = hit.to(torch::kCPU, torch::kUInt8).contiguous();
      stats.hits.insert(stats.hits.end(), bytes.data_ptr<std::uint8_t>(), bytes.data_ptr<std::uint8_t>() + bytes.numel());
    }
    stats.count += hi - lo;
  }
  return stats;
}

void configure_torch(int threads) {
  // cuBLAS is only deterministic with a fixed workspace; must precede CUDA init.
  setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/0);
  torch::set_num_threads(threads);
  at::globalContext().setDeterministicAlgorithms(true, /*warn_only=*/false);
  at::globalContext().setDeterministicCuDNN(true);
  at::globalContext().setBenchmarkCuDNN(false);
}

int cuda_device_count() { return torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0; }

std::string aten_kernels() {
  // at::show_config() names the capability ATen dispatches to; its query
  // function itself is not exported.
  const std::string config = at::show_config();
  const std::string label = "CPU capability usage: ";
  const auto at = config.find(label);
  if (at == std::string::npos) return "unknown";
  const std::string used = config.substr(at + label.size(), config.find('\n', at) - at - label.size());
  if (used == "AVX2") return "avx2";
  if (used == "AVX512") return "avx512";
  if (used == "NO AVX" || used == "DEFAULT") return "default";
  return used;
}

void request_aten_kernels(const std::string& family) {
  setenv("ATEN_CPU_CAPABILITY", family.c_str(), /*overwrite=*/1);
}

std::string torch_version() {
#ifdef TORCH_VERSION
  return TORCH_VERSION;
#else
  return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
         std::to_string(TORCH_VERSION_PATCH);
#endif
}

}  // namespace fedhpc
