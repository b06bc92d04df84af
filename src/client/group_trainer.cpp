#include "client/group_trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "client/torch_device.hpp"
#include "model/net.hpp"

namespace fedhpc {

namespace {
struct GroupSchedule;
struct StepSlots;
struct Member {
  ClientId id;
  std::int64_t first_row = 0;  // in the group's staged samples
  std::int64_t count = 0;
  std::int64_t step_limit = -1;
};
}  // namespace

struct GroupTrainer::Impl {
  const RunConfig& config;
  torch::Device device;
  std::vector<std::int64_t> sample_shape;
  std::int64_t feature_size;
  std::vector<std::vector<std::int64_t>> param_shapes;  // of one client's model
  std::int64_t num_params = 0;

  // The group: members and their samples, staged on the host as they arrive.
  std::vector<Member> members;
  std::vector<float> features;
  std::vector<std::int64_t> labels;

  Impl(const RunConfig& c, const Dataset& shape_of, DeviceSpec d)
      : config(c),
        device(torch_device(d)),
        sample_shape(shape_of.sample_shape),
        feature_size(shape_of.feature_size()) {
    auto net = make_net(config.model.name, feature_size, shape_of.num_classes);
    FEDHPC_CHECK(net->buffers().empty(), "model {} has buffers: grouped training stacks parameters only",
                 config.model.name);
    for (const auto& p : net->parameters()) {
      param_shapes.emplace_back(p.sizes().begin(), p.sizes().end());
      num_params += p.numel();
    }
  }

  // Linear weights ([out, in]) are stacked transposed (model/net.hpp).
  bool stacked_transposed(std::size_t i) const { return param_shapes[i].size() == 2; }
  // [K, 1, 1, ...]: a per-client factor broadcast over parameter i.
  std::vector<std::int64_t> per_client_shape(std::size_t i, std::int64_t k) const {
    std::vector<std::int64_t> s(param_shapes[i].size() + 1, 1);
    s[0] = k;
    return s;
  }

  // Every client's samples go to the device once; on the CPU the staged host
  // buffers serve as they are (they live until clear()).
  std::pair<torch::Tensor, torch::Tensor> staged_samples() {
    std::vector<std::int64_t> x_shape{static_cast<std::int64_t>(labels.size())};
    x_shape.insert(x_shape.end(), sample_shape.begin(), sample_shape.end());
    auto all_x = torch::from_blob(features.data(), x_shape, torch::kFloat);
    auto all_y = torch::from_blob(labels.data(), {static_cast<std::int64_t>(labels.size())}, torch::kLong);
    if (device.is_cpu()) return {all_x, all_y};
    return {all_x.to(device), all_y.to(device)};
  }

  // A from_blob view of host memory: copied to a GPU at once; on the CPU
  // used in place, and each step finishes before it is refilled.
  template <typename T>
  torch::Tensor to_device(T* data, torch::ScalarType type, std::vector<std::int64_t> shape) const {
    auto t = torch::from_blob(data, shape, type);
    return device.is_cpu() ? t : t.to(device);
  }

  GroupSchedule schedule(Round round) const;
  std::vector<torch::Tensor> stack(const torch::Tensor& global_t, std::int64_t k,
                                   std::vector<torch::Tensor>& anchor) const;
  void fill_slots(std::int64_t s, GroupSchedule& g, StepSlots& slots, std::vector<std::int64_t>& seen) const;
  void sgd_step(std::vector<torch::Tensor>& params, const std::vector<torch::Tensor>& anchor,
                std::vector<torch::Tensor>& momentum, const torch::Tensor& factor, double mu, std::int64_t k) const;
  void write_deltas(const std::vector<torch::Tensor>& params, const torch::Tensor& global_t, std::int64_t k,
                    std::span<float> deltas_out) const;
};

GroupTrainer::GroupTrainer(const RunConfig& config, const Dataset& shape_of, DeviceSpec device)
    : impl_(std::make_unique<Impl>(config, shape_of, device)) {}

GroupTrainer::~GroupTrainer() = default;

std::int64_t GroupTrainer::num_params() const { return impl_->num_params; }

void GroupTrainer::clear() {
  impl_->members.clear();
  impl_->features.clear();
  impl_->labels.clear();
}

std::size_t GroupTrainer::size() const { return impl_->members.size(); }

void GroupTrainer::add(ClientId client, const Dataset& data, std::span<const std::int64_t> rows,
                       std::int64_t step_limit) {
  auto& m = *impl_;
  FEDHPC_CHECK(data.feature_size() == m.feature_size, "client {} has {} features per sample, the group {}",
               to_int(client), data.feature_size(), m.feature_size);
  const auto fs = static_cast<std::size_t>(m.feature_size);
  m.members.push_back({client, static_cast<std::int64_t>(m.labels.size()), static_cast<std::int64_t>(rows.size()),
                       step_limit});
  for (const std::int64_t row : rows) {
    const auto r = static_cast<std::size_t>(row);
    m.features.insert(m.features.end(), data.features.begin() + static_cast<std::ptrdiff_t>(r * fs),
                      data.features.begin() + static_cast<std::ptrdiff_t>((r + 1) * fs));
    m.labels.push_back(data.labels[r]);
  }
}

namespace {

// Each client's schedule, exactly LocalTrainer's: batch size, batches per
// epoch, steps (planned, cut by step_limit), its own shuffling stream.
struct GroupSchedule {
  std::vector<LocalTrainer::BatchSchedule> plan;
  std::vector<std::vector<std::int64_t>> order;  // each client's current permutation
  std::vector<Rng> rngs;
  std::int64_t steps = 0;  // the longest client's
  std::int64_t width = 1;  // the widest batch
};

// One step's batch on the host: which staged rows fill each client's slots,
// each slot's weight in its client's mean loss (0 for padding), and each
// client's step factor (-lr while it trains, 0 once it is done).
struct StepSlots {
  std::vector<std::int64_t> rows;
  std::vector<float> weight, step_factor;
  std::vector<double> count;
};

}  // namespace

GroupSchedule GroupTrainer::Impl::schedule(Round round) const {
  GroupSchedule g;
  for (const Member& mem : members) {
    g.rngs.emplace_back(derive_seed(config.seed, Stream::Train, round, mem.id));
    g.plan.push_back(LocalTrainer::batch_schedule(config, /*full_batch=*/false, mem.count, mem.step_limit));
    g.order.emplace_back(static_cast<std::size_t>(mem.count));
    std::iota(g.order.back().begin(), g.order.back().end(), std::int64_t{0});
    g.steps = std::max(g.steps, g.plan.back().steps);
    g.width = std::max(g.width, g.plan.back().batch_size);
  }
  return g;
}

// The global model's views shaped like each parameter (the proximal anchor)
// into `anchor`, and the parameters stacked K times, ready for autograd.
std::vector<torch::Tensor> GroupTrainer::Impl::stack(const torch::Tensor& global_t, std::int64_t k,
                                                     std::vector<torch::Tensor>& anchor) const {
  std::vector<torch::Tensor> params;
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < param_shapes.size(); ++i) {
    const auto& shape = param_shapes[i];
    const std::int64_t numel = std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>());
    auto view = global_t.narrow(0, offset, numel).view(shape).unsqueeze(0);
    if (stacked_transposed(i)) view = view.transpose(1, 2);
    anchor.push_back(view);
    auto stacked_shape = view.sizes().vec();
    stacked_shape[0] = k;
    params.push_back(view.expand(stacked_shape).contiguous().requires_grad_(true));
    offset += numel;
  }
  return params;
}

void GroupTrainer::Impl::fill_slots(std::int64_t s, GroupSchedule& g, StepSlots& slots,
                                    std::vector<std::int64_t>& seen) const {
  const auto width = static_cast<std::size_t>(g.width);
  for (std::size_t c = 0; c < members.size(); ++c) {
    const Member& mem = members[c];
    auto* slot_rows = slots.rows.data() + c * width;
    auto* slot_weight = slots.weight.data() + c * width;
    std::int64_t filled = 0;
    if (s < g.plan[c].steps) {
      const std::int64_t pos = s % g.plan[c].batches_per_epoch;
      if (pos == 0) g.rngs[c].shuffle(g.order[c]);  // a new epoch: a new permutation
      const std::int64_t lo = pos * g.plan[c].batch_size;
      filled = std::min(mem.count, lo + g.plan[c].batch_size) - lo;
      for (std::int64_t j = 0; j < filled; ++j) {
        slot_rows[j] = mem.first_row + g.order[c][static_cast<std::size_t>(lo + j)];
        slot_weight[j] = 1.0f / static_cast<float>(filled);
      }
    }
    for (std::int64_t j = filled; j < g.width; ++j) {  // padding: any valid row, no weight
      slot_rows[j] = 0;
      slot_weight[j] = 0.0f;
    }
    slots.step_factor[c] = filled > 0 ? static_cast<float>(-config.train.lr) : 0.0f;
    slots.count[c] = static_cast<double>(filled);
    seen[c] += filled;
  }
}

// torch::optim::SGD's step, per client: d = g [+ mu (y - x)] [+ wd y];
// momentum buffer b = d on the first step, then b = m b + d; y += factor * b.
void GroupTrainer::Impl::sgd_step(std::vector<torch::Tensor>& params, const std::vector<torch::Tensor>& anchor,
                                  std::vector<torch::Tensor>& momentum, const torch::Tensor& factor, double mu,
                                  std::int64_t k) const {
  const TrainConfig& tc = config.train;
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < params.size(); ++i) {
    auto& p = params[i];
    auto grad = p.mutable_grad();
    if (mu > 0.0) grad.add_(p - anchor[i], mu);
    if (tc.weight_decay != 0.0) grad.add_(p, tc.weight_decay);
    if (tc.momentum != 0.0) {
      if (!momentum[i].defined())
        momentum[i] = grad.clone();
      else
        momentum[i].mul_(tc.momentum).add_(grad);
      grad = momentum[i];
    }
    p.addcmul_(grad, factor.view(per_client_shape(i, k)));
  }
}

// Each client's stacked parameters, flat in the model's layout, minus the global model.
void GroupTrainer::Impl::write_deltas(const std::vector<torch::Tensor>& params, const torch::Tensor& global_t,
                                      std::int64_t k, std::span<float> deltas_out) const {
  std::vector<torch::Tensor> flat;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto p = params[i].detach();
    flat.push_back((stacked_transposed(i) ? p.transpose(1, 2) : p).reshape({k, -1}));
  }
  const auto deltas = (torch::cat(flat, 1) - global_t.unsqueeze(0)).to(torch::kCPU).contiguous();
  std::memcpy(deltas_out.data(), deltas.data_ptr<float>(),
              static_cast<std::size_t>(k) * static_cast<std::size_t>(num_params) * sizeof(float));
}

std::vector<TrainStats> GroupTrainer::train(Round round, std::span<const float> global, std::span<float> deltas_out,
                                            double mu) {
  const auto start = std::chrono::steady_clock::now();
  auto& m = *impl_;
  const auto k = static_cast<std::int64_t>(m.members.size());
  const auto ku = static_cast<std::size_t>(k);
  const auto d = static_cast<std::size_t>(m.num_params);
  FEDHPC_CHECK(global.size() == d, "global model has {} floats, the model {}", global.size(), d);
  FEDHPC_CHECK(deltas_out.size() >= ku * d, "room for {} floats, {} clients need {}", deltas_out.size(), k, ku * d);
  std::vector<TrainStats> stats(ku);
  if (k == 0) return stats;
  GroupSchedule g = m.schedule(round);

  auto global_t = torch::from_blob(const_cast<float*>(global.data()), {static_cast<std::int64_t>(d)}, torch::kFloat)
                      .to(m.device, /*non_blocking=*/false, /*copy=*/true);
  std::vector<torch::Tensor> anchor, momentum(m.param_shapes.size());
  std::vector<torch::Tensor> params = m.stack(global_t, k, anchor);
  const auto [all_x, all_y] = m.staged_samples();
  std::vector<std::int64_t> batch_shape{k, g.width};
  batch_shape.insert(batch_shape.end(), m.sample_shape.begin(), m.sample_shape.end());

  const auto slot_count = ku * static_cast<std::size_t>(g.width);
  StepSlots slots{std::vector<std::int64_t>(slot_count), std::vector<float>(slot_count), std::vector<float>(ku),
                  std::vector<double>(ku)};
  auto loss_sum = torch::zeros({k}, torch::TensorOptions().dtype(torch::kDouble).device(m.device));
  std::vector<std::int64_t> seen(ku, 0);
  for (std::int64_t s = 0; s < g.steps; ++s) {
    m.fill_slots(s, g, slots, seen);
    const auto index = m.to_device(slots.rows.data(), torch::kLong, {static_cast<std::int64_t>(slot_count)});
    const auto w = m.to_device(slots.weight.data(), torch::kFloat, {k, g.width});
    const auto factor = m.to_device(slots.step_factor.data(), torch::kFloat, {k});
    const auto counts = m.to_device(slots.count.data(), torch::kDouble, {k});

    const auto x = all_x.index_select(0, index).view(batch_shape);
    const auto y = all_y.index_select(0, index);
    const auto logits = stacked_forward(m.config.model.name, params, x);
    const auto per_sample = torch::nn::functional::cross_entropy(
        logits.reshape({k * g.width, logits.size(2)}), y,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
    const auto per_client = (per_sample.view({k, g.width}) * w).sum(1);  // each client's mean batch loss
    for (auto& p : params) p.mutable_grad().reset();
    per_client.sum().backward();  // client c's parameters see only client c's loss
    m.sgd_step(params, anchor, momentum, factor, mu, k);
    loss_sum.add_(per_client.detach().to(torch::kDouble) * counts);
  }
  m.write_deltas(params, global_t, k, deltas_out);

  const auto losses = loss_sum.to(torch::kCPU);
  const double share =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / static_cast<double>(k);
  for (std::size_t c = 0; c < ku; ++c) {
    stats[c].num_samples = m.members[c].count;
    stats[c].steps = g.plan[c].steps;
    stats[c].loss = seen[c] > 0 ? losses[static_cast<std::int64_t>(c)].item<double>() / static_cast<double>(seen[c]) : 0.0;
    stats[c].wall_seconds = share;
  }
  return stats;
}

}  // namespace fedhpc
