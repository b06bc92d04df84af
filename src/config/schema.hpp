#pragma once
// The typed configuration of one run. Strings from YAML become these enums and
// numbers in config/load.cpp and nowhere else: no YAML::Node travels further.
#include <cstdint>
#include <string>

namespace fedhpc {

enum class DatasetKind { FashionMnist, Synthetic };
enum class PartitionKind { Iid, Shards, Dirichlet, LabelK, Quantity, Natural };
enum class ReduceMode { Exact, Fast };
enum class AggregatorLayout { Colocated, Dedicated };
enum class PlacementKind { Balanced, Static };
enum class DeviceKind { Cpu, Cuda, Auto };

struct PartitionConfig {
  PartitionKind kind = PartitionKind::Iid;
  double alpha = 0.5;         // dirichlet: concentration of the per-class Dir(alpha) draw
  int shards_per_client = 2;  // shards: McMahan et al. give each client 2 shards
  int k = 2;                  // label_k: labels per client (#C=k)
  double beta = 0.5;          // quantity: client sizes ~ Dir(beta)
  int min_size = 10;          // dirichlet/quantity: redraw until every client has this many
};

// FedProx's Synthetic(alpha, beta) recipe (REPRODUCTION.md section 3).
struct SyntheticConfig {
  double alpha = 1.0;
  double beta = 1.0;
  bool iid = false;
  int dim = 60;
  int num_classes = 10;
};

struct DataConfig {
  DatasetKind dataset = DatasetKind::FashionMnist;
  std::string path = "/usr/share/datasets/fashion-mnist";
  int num_clients = 100;
  PartitionConfig partition;
  SyntheticConfig synthetic;
};

struct ModelConfig {
  std::string name = "cnn_simple";
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
};

struct RuntimeConfig {
  DeviceKind device = DeviceKind::Cpu;
  ReduceMode reduce = ReduceMode::Exact;
  AggregatorLayout aggregator = AggregatorLayout::Colocated;
  PlacementKind placement = PlacementKind::Balanced;
  int threads = 0;  // 0: SLURM_CPUS_PER_TASK if set, else 1
  int eval_batch_size = 500;
};

struct OutputConfig {
  std::string file = "results/{name}/{jobid}.h5";
  int eval_every = 1;
  bool overwrite = false;
  bool progress = true;
};

struct RunConfig {
  std::string name = "run";
  std::uint64_t seed = 1;
  DataConfig data;
  ModelConfig model;
  TrainConfig train;
  StrategyConfig strategy;
  RuntimeConfig runtime;
  OutputConfig output;
};

const char* to_string(DatasetKind);
const char* to_string(PartitionKind);
const char* to_string(ReduceMode);
const char* to_string(AggregatorLayout);
const char* to_string(PlacementKind);
const char* to_string(DeviceKind);

}  // namespace fedhpc
