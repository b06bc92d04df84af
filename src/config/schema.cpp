// Names of the config enums, as they are spelled in YAML.
#include "config/schema.hpp"

namespace fedhpc {

const char* to_string(DatasetKind v) { return v == DatasetKind::FashionMnist ? "fashion_mnist" : "synthetic"; }
const char* to_string(PartitionKind v) {
  switch (v) {
    case PartitionKind::Iid: return "iid";
    case PartitionKind::Shards: return "shards";
    case PartitionKind::Dirichlet: return "dirichlet";
    case PartitionKind::LabelK: return "label_k";
    case PartitionKind::Quantity: return "quantity";
    case PartitionKind::Natural: return "natural";
  }
  return "?";
}
const char* to_string(ReduceMode v) { return v == ReduceMode::Exact ? "exact" : "fast"; }
const char* to_string(AggregatorLayout v) { return v == AggregatorLayout::Colocated ? "colocated" : "dedicated"; }
const char* to_string(PlacementKind v) { return v == PlacementKind::Balanced ? "balanced" : "static"; }
const char* to_string(DeviceKind v) {
  switch (v) {
    case DeviceKind::Cpu: return "cpu";
    case DeviceKind::Cuda: return "cuda";
    case DeviceKind::Auto: return "auto";
  }
  return "?";
}

const char* to_string(DistributionKind v) {
  switch (v) {
    case DistributionKind::Constant: return "constant";
    case DistributionKind::Uniform: return "uniform";
    case DistributionKind::Lognormal: return "lognormal";
    case DistributionKind::Pareto: return "pareto";
  }
  return "?";
}
const char* to_string(StragglerMode v) { return v == StragglerMode::Round ? "round" : "client"; }
const char* to_string(StragglerPolicy v) { return v == StragglerPolicy::Drop ? "drop" : "partial"; }
const char* to_string(AvailabilityPattern v) {
  switch (v) {
    case AvailabilityPattern::Always: return "always";
    case AvailabilityPattern::Diurnal: return "diurnal";
    case AvailabilityPattern::Trace: return "trace";
  }
  return "?";
}

}  // namespace fedhpc
