#include "data/partition.hpp"

#include <algorithm>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "data/synthetic.hpp"

namespace fedhpc {

namespace {

constexpr int kMaxRedraws = 1000;

using Indices = std::vector<std::int64_t>;

std::vector<Indices> array_split(const Indices& items, std::int64_t parts) {
  std::vector<Indices> out;
  std::int64_t start = 0;
  for (std::int64_t len : split_sizes(static_cast<std::int64_t>(items.size()), parts)) {
    out.emplace_back(items.begin() + start, items.begin() + start + len);
    start += len;
  }
  return out;
}

// Split at floor(cumsum(p) * n), dropping the last cut, as numpy code does.
std::vector<Indices> split_at_proportions(const Indices& items, const std::vector<double>& p) {
  const auto n = static_cast<double>(items.size());
  std::vector<Indices> out(p.size());
  double cum = 0.0;
  std::int64_t start = 0;
  for (std::size_t j = 0; j < p.size(); ++j) {
    cum += p[j];
    const std::int64_t end = j + 1 == p.size() ? static_cast<std::int64_t>(items.size())
                                               : std::min<std::int64_t>(static_cast<std::int64_t>(cum * n),
                                                                        static_cast<std::int64_t>(items.size()));
    const std::int64_t e = std::max(end, start);
    out[j].assign(items.begin() + start, items.begin() + e);
    start = e;
  }
  return out;
}

std::vector<Indices> indices_by_class(std::span<const std::int64_t> labels, int num_classes) {
  std::vector<Indices> by_class(static_cast<std::size_t>(num_classes));
  for (std::size_t i = 0; i < labels.size(); ++i) by_class[static_cast<std::size_t>(labels[i])].push_back(static_cast<std::int64_t>(i));
  return by_class;
}

Partition iid(std::int64_t n, int clients, Rng& rng) {
  return Partition{array_split(rng.permutation(n), clients)};
}

Partition shards(std::span<const std::int64_t> labels, int clients, int per_client, Rng& rng) {
  const std::int64_t n = static_cast<std::int64_t>(labels.size());
  const std::int64_t num_shards = static_cast<std::int64_t>(clients) * per_client;
  if (num_shards > n) {
    throw InputError(fmt::format("data.partition.shards_per_client: {} clients x {} shards = {} shards, but the "
                                 "training set has only {} samples",
                                 clients, per_client, num_shards, n));
  }
  const std::int64_t shard_size = n / num_shards;  // McMahan: 60,000 / 200 = 300
  Indices sorted(static_cast<std::size_t>(n));
  std::iota(sorted.begin(), sorted.end(), 0);
  std::stable_sort(sorted.begin(), sorted.end(), [&](auto a, auto b) { return labels[static_cast<std::size_t>(a)] < labels[static_cast<std::size_t>(b)]; });
  const Indices shard_order = rng.permutation(num_shards);
  Partition p;
  p.clients.resize(static_cast<std::size_t>(clients));
  for (int c = 0; c < clients; ++c) {
    for (int s = 0; s < per_client; ++s) {
      const std::int64_t shard = shard_order[static_cast<std::size_t>(c * per_client + s)];
      auto first = sorted.begin() + shard * shard_size;
      p.clients[static_cast<std::size_t>(c)].insert(p.clients[static_cast<std::size_t>(c)].end(), first, first + shard_size);
    }
  }
  return p;
}

// NIID-Bench noniid-labeldir: per class, q ~ Dir(alpha); clients already
// holding >= n/N samples get q_j = 0; redraw all until min size >= min_size.
Partition dirichlet(std::span<const std::int64_t> labels, int num_classes, int clients, double alpha, int min_size,
                    Rng& rng) {
  const auto by_class = indices_by_class(labels, num_classes);
  const double cap = static_cast<double>(labels.size()) / clients;
  for (int attempt = 0; attempt < kMaxRedraws; ++attempt) {
    std::vector<Indices> parts(static_cast<std::size_t>(clients));
    for (const auto& cls : by_class) {
      Indices idx = cls;
      rng.shuffle(idx);
      std::vector<double> q = rng.dirichlet(static_cast<std::size_t>(clients), alpha);
      double total = 0.0;
      for (std::size_t j = 0; j < q.size(); ++j) {
        if (static_cast<double>(parts[j].size()) >= cap) q[j] = 0.0;
        total += q[j];
      }
      if (total > 0.0) {
        for (auto& x : q) x /= total;
      } else {
        q = rng.dirichlet(static_cast<std::size_t>(clients), alpha);  // every client full: nothing to mask
      }
      auto pieces = split_at_proportions(idx, q);
      for (std::size_t j = 0; j < pieces.size(); ++j) parts[j].insert(parts[j].end(), pieces[j].begin(), pieces[j].end());
    }
    const auto smallest = std::min_element(parts.begin(), parts.end(), [](auto& a, auto& b) { return a.size() < b.size(); });
    if (static_cast<int>(smallest->size()) >= min_size) {
      for (auto& part : parts) rng.shuffle(part);
      return Partition{std::move(parts)};
    }
  }
  throw InputError(fmt::format("data.partition.alpha: {} Dirichlet draws never gave all {} clients at least "
                               "data.partition.min_size={} samples; raise alpha, lower min_size or use fewer clients",
                               kMaxRedraws, clients, min_size));
}

// NIID-Bench noniid-#label{k}: client i holds label i mod C and k-1 further
// distinct labels drawn uniformly; each label's samples are split equally
// among its holders (labels nobody drew stay unused, as in NIID-Bench).
Partition label_k(std::span<const std::int64_t> labels, int num_classes, int clients, int k, Rng& rng) {
  std::vector<std::vector<int>> holds(static_cast<std::size_t>(clients));
  std::vector<std::int64_t> holders(static_cast<std::size_t>(num_classes), 0);
  for (int i = 0; i < clients; ++i) {
    auto& mine = holds[static_cast<std::size_t>(i)];
    mine.push_back(i % num_classes);
    while (static_cast<int>(mine.size()) < k) {
      const int c = static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(num_classes)));
      if (std::find(mine.begin(), mine.end(), c) == mine.end()) mine.push_back(c);
    }
    for (int c : mine) ++holders[static_cast<std::size_t>(c)];
  }
  auto by_class = indices_by_class(labels, num_classes);
  Partition p;
  p.clients.resize(static_cast<std::size_t>(clients));
  for (int c = 0; c < num_classes; ++c) {
    if (holders[static_cast<std::size_t>(c)] == 0) continue;
    Indices idx = by_class[static_cast<std::size_t>(c)];
    rng.shuffle(idx);
    auto pieces = array_split(idx, holders[static_cast<std::size_t>(c)]);
    std::size_t next = 0;
    for (int i = 0; i < clients; ++i) {
      const auto& mine = holds[static_cast<std::size_t>(i)];
      if (std::find(mine.begin(), mine.end(), c) == mine.end()) continue;
      auto& dst = p.clients[static_cast<std::size_t>(i)];
      dst.insert(dst.end(), pieces[next].begin(), pieces[next].end());
      ++next;
    }
  }
  return p;
}

// NIID-Bench iid-diff-quantity: sizes ~ Dir(beta), redrawn until every client
// gets at least min_size samples, cut from one random permutation.
Partition quantity(std::int64_t n, int clients, double beta, int min_size, Rng& rng) {
  const Indices order = rng.permutation(n);
  for (int attempt = 0; attempt < kMaxRedraws; ++attempt) {
    std::vector<double> q = rng.dirichlet(static_cast<std::size_t>(clients), beta);
    const double smallest = *std::min_element(q.begin(), q.end()) * static_cast<double>(n);
    if (smallest >= min_size) return Partition{split_at_proportions(order, q)};
  }
  throw InputError(fmt::format("data.partition.beta: {} Dirichlet draws never gave all {} clients at least "
                               "data.partition.min_size={} samples; raise beta, lower min_size or use fewer clients",
                               kMaxRedraws, clients, min_size));
}

Partition natural(std::span<const std::int32_t> owner, int clients) {
  Partition p;
  p.clients.resize(static_cast<std::size_t>(clients));
  for (std::size_t i = 0; i < owner.size(); ++i) {
    FEDHPC_CHECK(owner[i] >= 0 && owner[i] < clients, "sample {} belongs to device {}", i, owner[i]);
    p.clients[static_cast<std::size_t>(owner[i])].push_back(static_cast<std::int64_t>(i));
  }
  return p;
}

}  // namespace

std::vector<std::int64_t> split_sizes(std::int64_t n, std::int64_t k) {
  std::vector<std::int64_t> sizes(static_cast<std::size_t>(k), n / k);
  for (std::int64_t i = 0; i < n % k; ++i) ++sizes[static_cast<std::size_t>(i)];
  return sizes;
}

std::int64_t Partition::size_of(std::uint32_t client) const {
  return on_demand() ? on_demand_source->train_size(static_cast<int>(client))
                     : static_cast<std::int64_t>(clients[client].size());
}

std::vector<std::int64_t> Partition::sizes() const {
  std::vector<std::int64_t> s(static_cast<std::size_t>(num_clients()));
  for (std::size_t c = 0; c < s.size(); ++c) s[c] = size_of(static_cast<std::uint32_t>(c));
  return s;
}

std::vector<std::int64_t> Partition::class_counts(std::span<const std::int64_t> labels, int num_classes) const {
  if (on_demand())
    return std::vector<std::int64_t>(static_cast<std::size_t>(num_clients()) * static_cast<std::size_t>(num_classes), -1);
  std::vector<std::int64_t> counts(clients.size() * static_cast<std::size_t>(num_classes), 0);
  for (std::size_t c = 0; c < clients.size(); ++c)
    for (auto i : clients[c]) ++counts[c * static_cast<std::size_t>(num_classes) + static_cast<std::size_t>(labels[static_cast<std::size_t>(i)])];
  return counts;
}

Partition make_partition(const PartitionConfig& config, int num_clients, std::span<const std::int64_t> labels,
                         int num_classes, std::span<const std::int32_t> natural_owner, std::uint64_t seed) {
  const auto n = static_cast<std::int64_t>(labels.size());
  if (num_clients > n) {
    throw InputError(fmt::format("data.num_clients: {} clients, but the training set has only {} samples",
                                 num_clients, n));
  }
  Rng rng(derive_seed(seed, Stream::Partition, 0, 0));
  switch (config.kind) {
    case PartitionKind::Iid: return iid(n, num_clients, rng);
    case PartitionKind::Shards: return shards(labels, num_clients, config.shards_per_client, rng);
    case PartitionKind::Dirichlet:
      return dirichlet(labels, num_classes, num_clients, config.alpha, config.min_size, rng);
    case PartitionKind::LabelK: return label_k(labels, num_classes, num_clients, config.k, rng);
    case PartitionKind::Quantity: return quantity(n, num_clients, config.beta, config.min_size, rng);
    case PartitionKind::Natural: return natural(natural_owner, num_clients);
  }
  throw Error("unknown partition kind");
}

Partition make_on_demand_partition(const SyntheticGenerator& generator, int num_clients) {
  Partition p;
  p.on_demand_source = std::make_shared<const SyntheticGenerator>(generator);
  p.on_demand_clients = num_clients;
  return p;
}

}  // namespace fedhpc
