#pragma once
// Plain records of what happened, written by sinks. Their fields are the
// column names of the results file.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace fedhpc {

struct RoundRecord {
  std::uint32_t round = 0;           // 1-based
  double wall_seconds = 0;           // this round, start to end
  double elapsed_seconds = 0;        // since training started
  double train_loss = 0;             // sample-weighted mean of the clients' local losses
  double test_loss = 0;              // NaN on rounds without evaluation
  double test_accuracy = 0;          // NaN on rounds without evaluation
  double global_train_loss = 0;      // the global model on the whole training set (output.eval_train), else NaN
  double global_train_accuracy = 0;
  std::uint32_t clients_selected = 0;     // the cohort, over-committed members included
  std::uint32_t clients_completed = 0;    // per status (scenario/virtual_clock.hpp)
  std::uint32_t clients_dropped = 0;
  std::uint32_t clients_partial = 0;
  std::uint32_t clients_late = 0;
  std::uint32_t clients_unavailable = 0;
  double sim_round_seconds = 0;      // the virtual clock: this round's simulated duration
  double sim_elapsed_seconds = 0;    // simulated time at the end of this round
  std::uint64_t bytes_reduced = 0;   // aggregation payload (reduce, transpose, gather) summed over ranks
  double server_lr = 0;              // the server optimizer's learning rate this round
  double update_norm = 0;            // L2 norm of the aggregate Delta the server optimizer received
  std::uint32_t clients_aggregated = 0;  // members with a non-zero weight; coordinate rules: values kept per coordinate
  std::uint32_t adversaries_sampled = 0;  // adversaries in the cohort (scenario.adversaries)
  double adversaries_aggregated = 0;      // attacking members with a non-zero weight; coordinate rules: their values
                                          // kept per coordinate, the mean over coordinates
  // The backdoor's success on the triggered test set; NaN without one (and
  // in files written before the column existed).
  double backdoor_accuracy = std::numeric_limits<double>::quiet_NaN();
  // privacy.dp: the (epsilon, privacy.dp.delta) guarantee after this round,
  // and the clip norm C it used; NaN without DP (and in older files).
  double epsilon = std::numeric_limits<double>::quiet_NaN();
  double clip_norm = std::numeric_limits<double>::quiet_NaN();
  // privacy.secure_aggregation: the protocol's traffic (every member, up and
  // down) and what it added to sim_round_seconds; 0 without it.
  std::uint64_t secagg_bytes = 0;
  double secagg_seconds = 0;
  double train_seconds = 0;          // phases: maximum over ranks
  double wait_seconds = 0;           // blocked until the slowest trainer finished
  double reduce_seconds = 0;         // the aggregation collectives
  double server_seconds = 0;         // root's server optimizer step
  double broadcast_seconds = 0;      // the new model (and a client rule's shared state) to every rank
  double eval_seconds = 0;
  double write_seconds = 0;          // root's results file append and flush (patched in after the flush)
};

// One row per rank per round: where that rank's time went (/timings).
struct TimingRecord {
  std::uint32_t round = 0;
  std::int32_t rank = 0;
  double round_seconds = 0;      // this rank's whole round
  double train_seconds = 0;      // local training of the clients it hosts
  double wait_seconds = 0;       // blocked before the aggregation collective (load imbalance)
  double reduce_seconds = 0;
  double reduce_node_seconds = 0;   // of reduce_seconds: sum-reductions within this rank's node
  double reduce_cross_seconds = 0;  // of reduce_seconds: sum-reductions across nodes (node leaders only)
  double server_seconds = 0;     // root only
  double broadcast_seconds = 0;
  double eval_seconds = 0;
  double write_seconds = 0;      // root only: the previous round's results write
  std::uint32_t clients_trained = 0;
};

// One row per selected client per round, trained or not.
struct ClientRecord {
  std::uint32_t round = 0;
  std::uint32_t client = 0;
  std::int32_t rank = 0;             // the rank that trained it; -1 if nobody did
  std::int32_t status = 0;           // ClientStatus: 0 completed, 1 partial, 2 dropped, 3 late, 4 unavailable
  std::int64_t num_samples = 0;
  double loss = 0;                   // NaN if not trained
  std::int64_t steps = 0;            // local steps done (for dropped ones: before failing)
  double wall_seconds = 0;
  double weight = 0;  // coefficient in the aggregate (0: not selected by Krum, or not aggregated; NaN: coordinate-wise rule)
  double sim_download_seconds = 0;
  double sim_compute_seconds = 0;
  double sim_upload_seconds = 0;
  std::uint8_t adversary = 0;  // 1: an adversarial client (scenario.adversaries), whether attacking yet or not
  // The round's global model on the client's own test samples (data with
  // per-sample test owners: /test/client, Brown); NaN in rounds that do not
  // evaluate, or for a client with no test samples.
  double test_accuracy = std::numeric_limits<double>::quiet_NaN();
  std::int64_t test_samples = 0;
};

// Identity of a run, written once as root attributes.
struct RunContext {
  std::string name;
  std::string scenario_file;
  std::string config_yaml;     // resolved, every key
  std::string raw_yaml;        // the scenario file as given
  std::string cli_overrides;   // space-separated key=value
  std::uint64_t seed = 0;
  int num_ranks = 0;
  int num_trainers = 0;
  std::string hosts;
  std::string device;
  std::string strategy;        // name and its parts: aggregator, server rule, client rule
  std::string attack;          // scenario.adversaries in words ("none" without), what omniscient attacks see
  std::string privacy;         // privacy.dp in words: mechanism, sampling, delta, accountant ("off" without)
  std::string secure_aggregation;  // the protocol in words ("off" without)
  std::string sampling;        // strategy.sampling: fixed or poisson
  int num_nodes = 1;           // nodes (shared-memory domains) the ranks ran on
  std::string data;            // the data set: kind, file, classes, sample shape, transforms
  std::string model;           // the model: built-in or TorchScript file, initial weights, buffers
  std::int64_t num_params = 0;
  double sim_sample_seconds = 0;  // the virtual clock's cost of one sample pass (configured or measured)
  std::string fedhpc_version, git_sha, torch_version, mpi_version, hdf5_version;
  std::string fmt_version, yaml_cpp_version;
  bool git_dirty = false;
  std::string start_utc;
  std::string slurm_job_id, slurm_nodelist;
  std::string ompi_mca;        // OMPI_MCA_* settings of rank 0's environment, one KEY=VALUE per line
  // Sizes of the checkpoint's parts, fixed for the run (the file reserves them).
  std::int64_t server_state_size = 0;  // doubles
  std::int64_t control_size = 0;       // floats: the client rule's shared state (SCAFFOLD's c), or 0
  bool per_client_state = false;       // one num_params vector per client that has trained
  int num_clients = 0;
};

// Everything a run needs to continue after `round` bitwise as if it had never
// stopped: every draw derives from (seed, stream, round, client), so no RNG
// state is kept.
struct CheckpointState {
  std::uint32_t round = 0;           // the last finished round
  double sim_elapsed_seconds = 0;    // the virtual clock after it
  double elapsed_seconds = 0;        // wall seconds of training so far
  std::vector<float> model;
  std::vector<double> server_state;  // the server step's state (moments, h, a center)
  std::vector<float> control;        // the client rule's shared state
  std::vector<std::uint32_t> clients;  // clients with per-client state, ascending
  std::vector<float> client_state;     // clients.size() x num_params
};

struct PartitionSummary {
  int num_clients = 0;
  int num_classes = 0;
  std::vector<std::int64_t> num_samples;   // per client
  std::vector<std::int64_t> class_counts;  // num_clients x num_classes
  std::vector<std::uint8_t> adversary;     // per client: 1 if adversarial
  // Empty: the vectors above hold one row per client. Otherwise how each
  // client's data is re-derived (populations too large for rows), and the
  // vectors are empty.
  std::string derived = {};
};

}  // namespace fedhpc
