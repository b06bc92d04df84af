#include "data/client_samples.hpp"

#include <numeric>

#include "core/error.hpp"
#include "data/synthetic.hpp"

namespace fedhpc {

ClientSamples::ClientSamples(const Dataset& train, const Partition& partition, const SyntheticGenerator* on_demand)
    : train_(train), partition_(partition), on_demand_(on_demand) {
  FEDHPC_CHECK(partition.on_demand() == (on_demand != nullptr), "an on-demand partition needs its generator");
}

ClientSamples::View ClientSamples::of(std::uint32_t client) {
  if (!on_demand_) return {train_, partition_.clients[client]};
  scratch_ = on_demand_->empty();
  on_demand_->append_device(static_cast<int>(client), scratch_, nullptr);
  FEDHPC_CHECK(scratch_.size() == partition_.size_of(client), "device {} generated {} samples, its size says {}",
               client, scratch_.size(), partition_.size_of(client));
  rows_.resize(static_cast<std::size_t>(scratch_.size()));
  std::iota(rows_.begin(), rows_.end(), std::int64_t{0});
  return {scratch_, rows_};
}

}  // namespace fedhpc
