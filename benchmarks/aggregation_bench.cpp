// Aggregation cost per round of every strategy, as a ratio to FedAvg's,
// measured in one run. The clients' updates are made up
// (training is not what is measured): K updates of D floats spread over the
// ranks as a real round places them, then per round:
//   begin_round -> add() of every local update -> finish() (the collectives)
//   -> the server optimizer on root -> broadcast of the model.
// Default: 100 clients of cnn_mcmahan (1,663,370 parameters).
//   mpirun -n 2 build/benchmarks/aggregation_bench [-k 100] [-d 1663370] [-w 1] [-n 5] [-s fedavg,krum]
#include <algorithm>
#include <cstdio>
#include <sstream>

#include <fmt/format.h>

#include "common.hpp"
#include "comm/mpi_session.hpp"
#include "core/rng.hpp"
#include "fl/aggregation.hpp"
#include "strategy/catalog.hpp"
#include "strategy/server_opt.hpp"

using namespace fedhpc;

int main(int argc, char** argv) {
  MpiSession mpi(&argc, &argv);
  auto world = mpi.world();
  Comm& comm = *world;
  const bool root = comm.rank() == 0;

  bench::Flags flags(argc, argv);
  const int k_total = flags.integer("-k", 100, "clients per round");
  const int dim = flags.integer("-d", 1663370, "model size in floats (cnn_mcmahan: 1663370)");
  const bench::Repeats reps = bench::read_repeats(flags, 5, "rounds per strategy");
  const std::string only = flags.text("-s", "all", "comma-separated strategies");
  flags.finish("aggregation_bench", root);

  // Round-robin placement, as static placement would do.
  const auto d = static_cast<std::size_t>(dim);
  std::vector<ClientId> ids;
  std::vector<int> owners;
  std::vector<std::int64_t> samples, steps;
  std::vector<std::vector<float>> updates;
  std::vector<double> losses;
  for (int k = 0; k < k_total; ++k) {
    ids.push_back(ClientId{static_cast<std::uint32_t>(k)});
    owners.push_back(k % comm.size());
    Rng rng(derive_seed(1, Stream::Train, 0, static_cast<std::uint32_t>(k)));
    samples.push_back(static_cast<std::int64_t>(300 + rng.uniform_int(300)));
    steps.push_back(5 * ((samples.back() + 9) / 10));
    losses.push_back(0.5 + rng.uniform());
    std::vector<float> u;
    if (owners.back() == comm.rank()) {
      u.resize(d);
      for (auto& v : u) v = static_cast<float>(0.01 * rng.normal());
    }
    updates.push_back(std::move(u));
  }

  // FedAvg first: it is the baseline of every ratio.
  std::vector<std::string> wanted;
  std::stringstream list(only);
  for (std::string item; std::getline(list, item, ',');) wanted.push_back(item);
  std::vector<std::string> names{"fedavg"};
  for (const auto& s : strategy_catalog())
    if (s.name != "fedavg" && (only == "all" || std::find(wanted.begin(), wanted.end(), s.name) != wanted.end()))
      names.emplace_back(s.name);

  if (root) {
    std::printf("# aggregation_bench: %d clients x %d floats on %d rank(s), median of %d rounds after %d warm-up\n",
                k_total, dim, comm.size(), reps.measured, reps.warmup);
    std::printf("%-14s %-12s %12s %10s\n", "strategy", "shape", "s/round", "vs fedavg");
  }
  double fedavg_seconds = 0.0;
  for (const auto& name : names) {
    RunConfig config;
    config.strategy.name = name;
    config.data.num_clients = 1000;
    config.strategy.byzantine_f = k_total / 10;
    config.train.momentum = 0.9;
    config.train.lr = 0.01;
    const StrategyInfo& info = *find_strategy(name);
    for (const auto& opt : info.options) {  // the strategy's own defaults
      const StrategyOption* o = find_strategy_option(opt.key);
      if (is_number(*o)) set_option(config.strategy, *o, opt.value);
    }
    CohortAggregator agg(info, config, d);
    const auto rule = info.client->make(config, d);
    std::vector<float> global(d, 0.5f), shared(rule->shared().size(), 0.0f), upload(rule->upload_size(), 0.0f);
    std::unique_ptr<ServerStep> opt;
    if (root) opt = info.server->make(config.strategy, d);
    const double seconds = bench::median_seconds(comm, reps, [&] {
      agg.begin_round({ids, samples, steps, owners, {}, {}, Round{0}});
      for (std::size_t k = 0; k < ids.size(); ++k)
        if (owners[k] == comm.rank())
          agg.add(k, updates[k], upload, losses[k]);
      AggregateResult out = agg.finish(comm, root ? opt->center() : std::span<const double>{});
      if (root) opt->step(global, out.model_delta, RoundFacts{out.aggregated, ids.size()});
      comm.bcast(std::as_writable_bytes(std::span(global)), 0);
      if (!shared.empty()) comm.bcast(std::as_writable_bytes(std::span(shared)), 0);
    });
    if (name == "fedavg") fedavg_seconds = seconds;
    if (root) {
      const char* shape = "";
      switch (info.aggregation->shape) {
        case AggregationShape::Sum: shape = "sum"; break;
        case AggregationShape::DeferredSum: shape = "deferred_sum"; break;
        case AggregationShape::Coordinate: shape = "coordinate"; break;
        case AggregationShape::Selection: shape = "selection"; break;
      }
      const std::string ratio = fedavg_seconds > 0 ? fmt::format("{:.2f}", seconds / fedavg_seconds) : "-";
      std::printf("%-14s %-12s %12.4f %10s\n", name.c_str(), shape, seconds, ratio.c_str());
      std::fflush(stdout);
    }
  }
  return 0;
}
