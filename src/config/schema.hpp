#pragma once
// The typed configuration of one run. Strings from YAML become these enums and
// numbers in config/load.cpp and nowhere else: no YAML::Node travels further.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fedhpc {

enum class DatasetKind { FashionMnist, Synthetic, Hdf5, Mnist, Brown };
enum class BrownClient { Document, Genre };
enum class BufferPolicy { Average, Local };
enum class PartitionKind { Iid, Shards, Dirichlet, LabelK, Quantity, Natural };
enum class ReduceMode { Exact, Fast };
enum class AggregatorLayout { Colocated, Dedicated };
enum class PlacementKind { Balanced, Static, Auto };  // Auto is resolved by the loader
enum class DeviceKind { Cpu, Cuda, Auto };
enum class DistributionKind { Constant, Uniform, Lognormal, Pareto };
enum class StragglerMode { Round, Client };
enum class StragglerPolicy { Drop, Partial };
enum class AvailabilityPattern { Always, Diurnal, Trace };
enum class AttackKind { None, LabelFlip, Backdoor, SignFlip, Scale, Gaussian, SameValue, Alie, Ipm };
enum class SamplingKind { Fixed, Poisson };
enum class DpMode { Off, Central, Local };
enum class ClipKind { Fixed, Adaptive };

struct PartitionConfig {
  PartitionKind kind = PartitionKind::Iid;
  double alpha = 0.5;         // dirichlet: concentration of the per-class Dir(alpha) draw
  int shards_per_client = 2;  // shards: McMahan et al. give each client 2 shards
  int k = 2;                  // label_k: labels per client (#C=k)
  double beta = 0.5;          // quantity: client sizes ~ Dir(beta)
  int min_size = 10;          // dirichlet/quantity: redraw until every client has this many
};

// FedProx's Synthetic(alpha, beta) recipe (Li et al., MLSys 2020).
struct SyntheticConfig {
  double alpha = 1.0;
  double beta = 1.0;
  bool iid = false;
  int dim = 60;
  int num_classes = 10;
  // Generate a client's samples when it trains instead of all up front: a
  // million clients in bounded memory (partition `natural` only).
  bool on_demand = false;
  int test_devices = 1000;  // on demand: the devices whose test samples form the test set
};

// The Brown corpus as next-character prediction (LEAF's Shakespeare task):
// each sample is kBrownSequence characters, its label the one that follows.
struct BrownConfig {
  BrownClient client = BrownClient::Document;  // one client per document (500) or per genre (15)
  int stride = 80;  // characters between the starts of consecutive samples (LEAF slides by 1)
};
constexpr int kBrownSequence = 80;

// Per-channel input standardisation, x <- (x - mean[c]) / std[c], after the
// data set's own scaling; empty: none (NIID-Bench's setting).
struct NormalizeConfig {
  std::vector<double> mean;
  std::vector<double> std;
};

struct DataConfig {
  DatasetKind dataset = DatasetKind::FashionMnist;
  // "" until the loader fills in the data set's own location
  // (default_data_path); a file for hdf5 and mnist, a folder otherwise.
  std::string path;
  int num_clients = 100;
  PartitionConfig partition;
  SyntheticConfig synthetic;
  BrownConfig brown;
  NormalizeConfig normalize;
};

// Where a data set lives unless data.path says otherwise: Debian's
// Fashion-MNIST package, or the set-up's data folder ($FEDHPC_DATA_DIR, else
// the source tree's data/) for the npm data sets; "" for hdf5 (no default)
// and synthetic (no files).
std::string default_data_path(DatasetKind dataset);

// The number of classes where the config alone says it (Fashion-MNIST and
// MNIST 10, synthetic its own); empty for data files that carry their own.
std::optional<int> known_num_classes(const DataConfig& data);

struct ModelConfig {
  std::string name = "cnn_simple";
  // A TorchScript module (torch.jit.script or trace, saved) mapping a batch to
  // logits; "" for the built-in model `name`. It starts from its own weights.
  std::string torchscript;
  // A flat parameter vector to start from instead: an HDF5 file (a results
  // file's /model/final, or a dataset /model/init) or a tensor saved with
  // torch.save; "" for the model's own initial weights.
  std::string init;
  // Buffers (BatchNorm running statistics): averaged like parameters, or
  // never aggregated (a client's changes to them stay with it for the round).
  BufferPolicy buffers = BufferPolicy::Average;
};

struct TrainConfig {
  int rounds = 10;
  int local_epochs = 1;
  int local_steps = 0;  // > 0: a fixed number of minibatch steps instead of epochs
  int batch_size = 32;
  double lr = 0.05;
  double momentum = 0.0;
  double weight_decay = 0.0;
};

// Every strategy option lives here; which ones a strategy accepts, and their
// defaults for it, come from its row in strategy/catalog.cpp. The loader
// resets these to the chosen strategy's defaults before reading the YAML.
struct StrategyConfig {
  std::string name = "fedavg";
  int clients_per_round = 10;
  double server_lr = 1.0;        // x <- x + server_lr * aggregate (fedadam & co: their eta)
  double mu = 0.0;               // fedprox (and fednova): proximal coefficient
  double server_momentum = 0.0;  // fedavgm: v <- momentum * v + aggregate
  double beta1 = 0.9;            // fedadam/fedyogi/fedadagrad: first moment decay
  double beta2 = 0.99;           // fedadam/fedyogi: second moment decay
  double tau = 1e-3;             // adaptive optimizers: degree of adaptivity
  double q = 1.0;                // qfedavg: fairness exponent (q = 0 is FedAvg)
  double trim_fraction = 0.1;    // trimmed_mean: share cut from each end per coordinate
  int byzantine_f = 0;           // krum/multikrum: clients assumed Byzantine
  int multikrum_m = 0;           // multikrum: clients averaged (0: K - f)
  // fixed: exactly K clients per round; poisson: each client on its own with
  // probability K / N, so the cohort size varies (what DP accounting assumes).
  SamplingKind sampling = SamplingKind::Fixed;
  // Options declared by strategy files (strategy/catalog.hpp), by key.
  std::map<std::string, double, std::less<>> extra;
};

// A positive quantity drawn per client (speed, bandwidth) or per straggler
// (slowdown). constant: a; uniform: [a, b); lognormal: exp(N(a, b^2));
// pareto: shape a, scale b (values >= b, heavy-tailed).
struct Distribution {
  DistributionKind kind = DistributionKind::Constant;
  double a = 1.0;
  double b = 0.0;
};

// Byzantine clients (attack/): who they are is a pure function of (seed,
// client), fixed for the run; from start_round on, each one poisons its data
// (label_flip, backdoor) or the update it submits (the others).
struct AdversaryConfig {
  double fraction = 0.0;               // of the population, rounded to a count
  std::vector<std::int64_t> clients;   // or these client ids
  AttackKind attack = AttackKind::None;
  int start_round = 1;
  double scale = 1.0;       // sign_flip: -scale x update; scale: scale x update
  bool scale_auto = true;   // auto: 1 for sign_flip, 10 for scale
  double sigma = 1.0;       // gaussian: N(0, sigma^2) per coordinate
  double value = 100.0;     // same_value: every coordinate
  double z = 0.0;           // alie: mean - z x std
  bool z_auto = true;       // auto: from the round's n and adversaries (Baruch et al.)
  double epsilon = 0.1;     // ipm: -epsilon x honest mean
  int target_class = 0;     // backdoor
  double poison_fraction = 0.5;  // backdoor: share of an adversary's samples triggered
  std::vector<std::int64_t> permutation;  // label_flip: y -> permutation[y] (empty: C-1-y)
};

// What real federations suffer: every outcome is a pure
// function of (seed, round, client) and this cost model, resolved on every
// rank before training, so dropped clients cost nothing and no result depends
// on the rank count. Times are simulated seconds.
struct ScenarioConfig {
  // Cost model: compute = sample passes x sample_seconds x slowdown / speed;
  // each transfer = latency + model bytes / bandwidth, down and up.
  double sample_seconds = 1e-3;  // seconds per sample pass at speed 1
  bool measure_sample_cost = false;  // sample_seconds: auto (timed once at start-up, recorded)
  Distribution speed;                                        // per client, relative to 1
  Distribution bandwidth{DistributionKind::Constant, 100.0, 0.0};  // per client, Mbit/s
  double latency = 0.0;    // seconds per transfer
  std::string profiles;    // device-profile CSV (client|class, speed, bandwidth), "" for none

  double straggler_fraction = 0.0;
  Distribution slowdown{DistributionKind::Constant, 2.0, 0.0};
  StragglerMode straggler_mode = StragglerMode::Round;

  double dropout_probability = 0.0;  // per selected client per round
  Distribution dropout_at{DistributionKind::Constant, 0.0, 0.0};  // share of the work done before failing

  double outage_probability = 0.0;  // per group per round: the group goes dark
  int outage_group_size = 10;       // clients [g*size, (g+1)*size) fail together
  int outage_rounds = 1;            // for this many rounds

  AvailabilityPattern availability = AvailabilityPattern::Always;
  double diurnal_period = 86400.0;  // seconds of one day
  double diurnal_on_fraction = 0.5; // share of the day a client is online
  std::string availability_trace;   // CSV: client, start, end (simulated seconds)

  double deadline_seconds = 0.0;  // 0: no deadline (an explicit 0 is an error)
  // > 0: each client's own deadline is this multiple of its un-slowed time
  // (transfers + compute at its speed): with 1.0 a straggler slowed s times
  // finishes 1/s of its work, FedProx's "variable amounts of local work".
  double deadline_relative = 0.0;
  double overcommit = 1.0;        // select ceil(overcommit x K), keep the first K to finish
  StragglerPolicy straggler_policy = StragglerPolicy::Drop;

  AdversaryConfig adversaries;
};

struct RuntimeConfig {
  DeviceKind device = DeviceKind::Cpu;
  ReduceMode reduce = ReduceMode::Exact;
  AggregatorLayout aggregator = AggregatorLayout::Colocated;
  PlacementKind placement = PlacementKind::Auto;
  int threads = 0;  // 0: SLURM_CPUS_PER_TASK if set, else 1
  int eval_batch_size = 500;
  // Clients trained together in one stacked computation (client/group_trainer):
  // 1 trains them one at a time. Groups are consecutive cohort members, the
  // same on every rank count, so results stay bit-identical across ranks.
  int client_batch = 1;
  // CPU kernel families, pinned so that the same seed gives the same bits on
  // CPUs of different generations ("": whatever the libraries pick).
  std::string blas_kernel;   // OpenBLAS core name (OPENBLAS_CORETYPE), e.g. Haswell
  std::string aten_kernels;  // LibTorch's vector kernels: default, avx2 or avx512
};

struct OutputConfig {
  std::string file = "results/{name}/{jobid}.h5";
  int eval_every = 1;
  bool eval_train = false;  // also evaluate the global model on the whole training set (FedProx's training loss)
  bool overwrite = false;
  bool progress = true;
  int checkpoint_every = 10;  // rounds between checkpoints (0: never; a signal still writes one)
};

// User-level DP-FedAvg (McMahan et al. 2018): each client's update clipped
// to L2 norm C, Gaussian noise of standard deviation z x C on the sum, the
// sum divided by the expected cohort size K. Adaptive clipping (Andrew et
// al. 2021) moves C towards the target quantile of the update norms.
struct DpConfig {
  DpMode mode = DpMode::Off;
  double clip_norm = 1.0;         // C (adaptive: its start)
  ClipKind clip = ClipKind::Fixed;
  double target_quantile = 0.5;   // adaptive: share of updates left unclipped
  double clip_lr = 0.2;           // adaptive: C <- C exp(-clip_lr (unclipped share - target))
  double count_stddev = 1.0;      // adaptive: noise on the unclipped count
  bool count_stddev_auto = true;  // auto: K / 20, as in the paper
  double noise_multiplier = 1.0;  // z
  double delta = 1e-5;            // of the (epsilon, delta) guarantee
  bool delta_auto = true;         // auto: min(1e-5, 1 / data.num_clients)
};

struct PrivacyConfig {
  DpConfig dp;
  // Pairwise masks (Bonawitz et al. 2017) in the exact reduction's int64 ring.
  bool secure_aggregation = false;
};

struct RunConfig {
  std::string name = "run";
  std::uint64_t seed = 1;
  DataConfig data;
  ModelConfig model;
  TrainConfig train;
  StrategyConfig strategy;
  ScenarioConfig scenario;
  RuntimeConfig runtime;
  PrivacyConfig privacy;
  OutputConfig output;
};

// An enum value's YAML spelling; each enum's table (config/schema.cpp) is the
// only place its spellings are written.
struct EnumName {
  const char* text;
  int value;
};
std::span<const EnumName> enum_names(DatasetKind);
std::span<const EnumName> enum_names(PartitionKind);
std::span<const EnumName> enum_names(ReduceMode);
std::span<const EnumName> enum_names(SamplingKind);
std::span<const EnumName> enum_names(DpMode);
std::span<const EnumName> enum_names(ClipKind);
std::span<const EnumName> enum_names(BrownClient);
std::span<const EnumName> enum_names(BufferPolicy);
std::span<const EnumName> enum_names(AggregatorLayout);
std::span<const EnumName> enum_names(PlacementKind);
std::span<const EnumName> enum_names(DeviceKind);
std::span<const EnumName> enum_names(DistributionKind);
std::span<const EnumName> enum_names(StragglerMode);
std::span<const EnumName> enum_names(StragglerPolicy);
std::span<const EnumName> enum_names(AvailabilityPattern);
std::span<const EnumName> enum_names(AttackKind);

const char* to_string(DatasetKind);
const char* to_string(PartitionKind);
const char* to_string(ReduceMode);
const char* to_string(AggregatorLayout);
const char* to_string(PlacementKind);
const char* to_string(DeviceKind);
const char* to_string(DistributionKind);
const char* to_string(StragglerMode);
const char* to_string(StragglerPolicy);
const char* to_string(AvailabilityPattern);
const char* to_string(AttackKind);
const char* to_string(SamplingKind);
const char* to_string(DpMode);
const char* to_string(ClipKind);
const char* to_string(BrownClient);
const char* to_string(BufferPolicy);

}  // namespace fedhpc
