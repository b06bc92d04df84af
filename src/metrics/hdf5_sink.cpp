#include "metrics/hdf5_sink.hpp"

#include <algorithm>
#include <filesystem>

#include "metrics/guarded_open.hpp"
#include "metrics/hdf5_table.hpp"
#include "metrics/timer.hpp"

namespace fedhpc {

using h5::check;
using h5::Handle;

namespace {

// 2: server_lr, update_norm, clients_aggregated, /clients weight
// 3: the virtual clock: /rounds counts per status and simulated seconds;
//    /clients one row per selected client with status and simulated seconds
// 4: SWMR (latest file format); /timings per rank; /rounds server_seconds and
//    broadcast_seconds; checkpoints; units on every dataset; more provenance
// 5: adversaries: /rounds adversaries_sampled, adversaries_aggregated,
//    backdoor_accuracy; /clients adversary; /partition/adversary
// 6: privacy: /rounds epsilon, clip_norm, secagg_bytes, secagg_seconds;
//    root attributes privacy, secure_aggregation, sampling
// 7: own data and models: /clients test_accuracy, test_samples (per-client
//    evaluation); root attributes data, model, n_nodes
constexpr int kSchemaVersion = 8;
constexpr std::size_t kUtcSize = 32;  // fixed-size, so it can be rewritten while live

const char* const kStatusMeaning =
    "0 completed, 1 partial (worked until the deadline), 2 dropped (failed part-way), 3 late (missed the deadline "
    "or the over-committed cut), 4 unavailable (its group was in an outage)";

// Everything a resume opens, named when it is missing (a damaged file, or
// one fedhpc did not write, is bad input).
// The rows of `t` up to and including `last_round` (rounds are in order).
hsize_t rows_through(h5::Table& t, std::uint32_t last_round) {
  std::vector<std::uint32_t> round(t.rows());
  Handle type = h5::field_type("round", H5T_NATIVE_UINT32, sizeof(std::uint32_t));
  t.read(round.data(), 0, round.size(), type.get());
  return static_cast<hsize_t>(std::upper_bound(round.begin(), round.end(), last_round) - round.begin());
}

void require_resume_objects(hid_t f, const std::string& path) {
  for (const char* name : {"rounds", "clients", "timings", "checkpoints", "model/final", "checkpoint/model",
                           "checkpoint/server_state", "checkpoint/control", "checkpoint/client_state",
                           "checkpoint/client_has_state"})
    if (H5Oexists_by_name(f, name, H5P_DEFAULT) <= 0)  // negative too where a group on the way is missing
      throw InputError(fmt::format("--resume: {} has no /{}; it is damaged or was not written by fedhpc", path, name));
}

}  // namespace

struct Hdf5Sink::Impl {
  Handle file;
  h5::Table rounds, clients, timings, checkpoints;
  Handle final_model;
  Handle cp_model, cp_server, cp_control, cp_clients, cp_has_state;  // /checkpoint/*, [slot, ...]
  hsize_t num_params = 0, server_size = 0, control_size = 0, num_clients = 0;
  int last_slot = -1;
  bool resumed = false;
  Handle write_seconds;  // a memory type selecting only the write_seconds column (of /rounds and /timings)

  void open_write_seconds_types() {
    write_seconds = h5::field_type("write_seconds", H5T_NATIVE_DOUBLE, sizeof(double));
  }
  void start_live(const std::string& path) {
    check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flush", path);
    check(H5Fstart_swmr_write(file.get()), "start SWMR writing", path);
  }
  void flush(const std::string& path) { check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flush", path); }
};

Hdf5Sink::Hdf5Sink() : impl_(std::make_unique<Impl>()) {}

Hdf5Sink::Hdf5Sink(const std::string& path, bool overwrite) : impl_(std::make_unique<Impl>()), path_(path) {
  h5::silence_errors();
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) throw InputError(fmt::format("output.file: cannot create the folder {}: {}", parent.string(), ec.message()));
  lock_ = WriterLock::acquire(path, "output.file");
  Handle fapl = h5::swmr_file_access();
  const hid_t id = H5Fcreate(path.c_str(), overwrite ? H5F_ACC_TRUNC : H5F_ACC_EXCL, H5P_DEFAULT, fapl.get());
  if (id < 0)
    throw InputError(fmt::format("output.file: cannot create {} (it exists, or its folder is not writable)", path));
  impl_->file = Handle(id, H5Fclose);
  impl_->open_write_seconds_types();
}

Hdf5Sink::~Hdf5Sink() = default;

void Hdf5Sink::context(const RunContext& c) {
  if (impl_->resumed) return;  // the file already describes the run
  const hid_t f = impl_->file.get();
  using h5::write_attr;
  h5::write_attr_int(f, "schema_version", kSchemaVersion, H5T_STD_I32LE, path_);
  write_attr(f, "name", c.name, path_);
  write_attr(f, "scenario_file", c.scenario_file, path_);
  write_attr(f, "config_yaml", c.config_yaml, path_);
  write_attr(f, "raw_yaml", c.raw_yaml, path_);
  write_attr(f, "cli_overrides", c.cli_overrides, path_);
  write_attr(f, "attack", c.attack, path_);
  write_attr(f, "privacy", c.privacy, path_);
  write_attr(f, "secure_aggregation", c.secure_aggregation, path_);
  write_attr(f, "sampling", c.sampling, path_);
  write_attr(f, "data", c.data, path_);
  write_attr(f, "model", c.model, path_);
  h5::write_attr_int(f, "seed", static_cast<long long>(c.seed), H5T_STD_U64LE, path_);
  h5::write_attr_int(f, "n_ranks", c.num_ranks, H5T_STD_I32LE, path_);
  h5::write_attr_int(f, "n_trainers", c.num_trainers, H5T_STD_I32LE, path_);
  h5::write_attr_int(f, "n_nodes", c.num_nodes, H5T_STD_I32LE, path_);
  h5::write_attr_int(f, "n_params", c.num_params, H5T_STD_I64LE, path_);
  h5::write_attr_double(f, "sim_sample_seconds", c.sim_sample_seconds, path_);
  write_attr(f, "hosts", c.hosts, path_);
  write_attr(f, "device", c.device, path_);
  write_attr(f, "strategy", c.strategy, path_);
  write_attr(f, "fedhpc_version", c.fedhpc_version, path_);
  write_attr(f, "git_sha", c.git_sha, path_);
  h5::write_attr_int(f, "git_dirty", c.git_dirty ? 1 : 0, H5T_STD_I32LE, path_);
  write_attr(f, "torch_version", c.torch_version, path_);
  write_attr(f, "mpi_version", c.mpi_version, path_);
  write_attr(f, "hdf5_version", c.hdf5_version, path_);
  write_attr(f, "fmt_version", c.fmt_version, path_);
  write_attr(f, "yaml_cpp_version", c.yaml_cpp_version, path_);
  write_attr(f, "slurm_job_id", c.slurm_job_id, path_);
  write_attr(f, "slurm_nodelist", c.slurm_nodelist, path_);
  write_attr(f, "ompi_mca", c.ompi_mca, path_);
  write_attr(f, "resumes", std::string(), path_);
  h5::write_attr_fixed(f, "start_utc", c.start_utc, kUtcSize, path_);
  h5::write_attr_fixed(f, "end_utc", "", kUtcSize, path_);
  h5::write_attr_int(f, "complete", 0, H5T_STD_I32LE, path_);

  Impl& m = *impl_;
  m.rounds = h5::Table(f, "rounds", h5::round_columns(), sizeof(RoundRecord), path_);
  m.clients = h5::Table(f, "clients", h5::client_columns(), sizeof(ClientRecord), path_);
  m.timings = h5::Table(f, "timings", h5::timing_columns(), sizeof(TimingRecord), path_);
  m.checkpoints = h5::Table(f, "checkpoints", h5::checkpoint_columns(), sizeof(h5::CheckpointRow), path_);
  write_attr(m.rounds.id(), "notes",
             "one row per finished round; test_* are NaN on rounds without evaluation; phase seconds are the "
             "maximum over ranks (per rank: /timings); sim_* are the virtual clock's simulated seconds, never wall "
             "time; update_norm is the L2 norm of the aggregate the server optimizer received",
             path_);
  write_attr(m.clients.id(), "status", kStatusMeaning, path_);
  write_attr(m.clients.id(), "notes",
             "one row per selected client per round, in client order; rank -1 and loss NaN when nobody trained it",
             path_);
  write_attr(m.timings.id(), "notes",
             "one row per rank per round; server_seconds and write_seconds are rank 0's; write_seconds is the time "
             "to append and flush this round's rows",
             path_);
  write_attr(m.checkpoints.id(), "notes", "one row per checkpoint; slot is the index into /checkpoint/*", path_);

  // The final model and the checkpoint slots exist from the start: a live
  // (SWMR) file cannot gain new datasets.
  m.num_params = static_cast<hsize_t>(c.num_params);
  m.server_size = static_cast<hsize_t>(c.server_state_size);
  m.control_size = static_cast<hsize_t>(c.control_size);
  m.num_clients = c.per_client_state ? static_cast<hsize_t>(c.num_clients) : 0;
  Handle model(check(H5Gcreate2(f, "model", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create /model", path_), H5Gclose);
  m.final_model = h5::create_array(model.get(), "final", H5T_IEEE_F32LE, {m.num_params}, path_);
  write_attr(m.final_model.get(), "units", "model units", path_);
  write_attr(m.final_model.get(), "layout",
             "parameters then buffers, each in registration order, float32; valid once the root attribute complete "
             "is 1",
             path_);
  Handle cp(check(H5Gcreate2(f, "checkpoint", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create /checkpoint", path_),
            H5Gclose);
  // `length` is the used size: a dimension of an unused part is 1, not 0
  // (HDF5 needs a non-empty chunk).
  auto slots = [&](const char* name, hid_t type, std::vector<hsize_t> shape, hsize_t length, const char* units) {
    for (auto& n : shape) n = std::max<hsize_t>(n, 1);
    Handle d = h5::create_array(cp.get(), name, type, shape, path_);
    write_attr(d.get(), "units", units, path_);
    h5::write_attr_int(d.get(), "length", static_cast<long long>(length), H5T_STD_I64LE, path_);
    return d;
  };
  m.cp_model = slots("model", H5T_IEEE_F32LE, {2, m.num_params}, m.num_params, "model units");
  m.cp_server = slots("server_state", H5T_IEEE_F64LE, {2, m.server_size}, m.server_size, "model units");
  m.cp_control = slots("control", H5T_IEEE_F32LE, {2, m.control_size}, m.control_size, "model units");
  m.cp_clients = slots("client_state", H5T_IEEE_F32LE, {2, m.num_clients, m.num_params}, m.num_clients, "model units");
  m.cp_has_state = slots("client_has_state", H5T_STD_U8LE, {2, m.num_clients}, m.num_clients, "flag");
  m.flush(path_);
}

void Hdf5Sink::partition(const PartitionSummary& s) {
  if (impl_->resumed) return;
  Handle group(check(H5Gcreate2(impl_->file.get(), "partition", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                     "create /partition", path_),
               H5Gclose);
  h5::write_attr(group.get(), "rows", s.derived.empty() ? std::string("per client") : s.derived, path_);
  if (!s.derived.empty()) {
    group.reset();
    impl_->start_live(path_);
    return;
  }
  const auto n = static_cast<hsize_t>(s.num_clients);
  h5::write_array(group.get(), "num_samples", s.num_samples.data(), {n}, H5T_NATIVE_INT64, H5T_STD_I64LE, path_);
  h5::write_array(group.get(), "class_counts", s.class_counts.data(), {n, static_cast<hsize_t>(s.num_classes)},
                  H5T_NATIVE_INT64, H5T_STD_I64LE, path_);
  for (const char* name : {"num_samples", "class_counts"}) {
    Handle d(H5Dopen2(group.get(), name, H5P_DEFAULT), H5Dclose);
    h5::write_attr(d.get(), "units", "samples", path_);
  }
  std::vector<std::uint8_t> adversary = s.adversary;
  adversary.resize(n, 0);
  h5::write_array(group.get(), "adversary", adversary.data(), {n}, H5T_NATIVE_UINT8, H5T_STD_U8LE, path_);
  Handle flag(H5Dopen2(group.get(), "adversary", H5P_DEFAULT), H5Dclose);
  h5::write_attr(flag.get(), "units", "flag", path_);
  group.reset();
  impl_->start_live(path_);
}

void Hdf5Sink::round(const RoundRecord& record, std::span<const ClientRecord> clients,
                     std::span<const TimingRecord> timings) {
  Stopwatch watch;
  Impl& m = *impl_;
  m.clients.append(clients.data(), clients.size());
  const hsize_t timing_row = m.timings.append(timings.data(), timings.size());
  const hsize_t row = m.rounds.append(&record, 1);
  m.flush(path_);
  // The rows are on disk before their own write time is known; patch it in
  // (it reaches the disk with the next flush).
  const double seconds = watch.seconds();
  m.rounds.write(&seconds, row, 1, m.write_seconds.get());
  for (std::size_t i = 0; i < timings.size(); ++i)
    if (timings[i].rank == 0) m.timings.write(&seconds, timing_row + i, 1, m.write_seconds.get());
}

void Hdf5Sink::checkpoint(const CheckpointState& s) {
  Impl& m = *impl_;
  if (s.model.size() != m.num_params || s.server_state.size() > m.server_size || s.control.size() > m.control_size)
    throw Error(fmt::format("{}: checkpoint does not fit the file's slots", path_));
  const hsize_t slot = static_cast<hsize_t>((m.last_slot + 1) % 2);
  h5::write_row(m.cp_model.get(), {slot}, s.model.data(), s.model.size(), H5T_NATIVE_FLOAT, path_);
  h5::write_row(m.cp_server.get(), {slot}, s.server_state.data(), s.server_state.size(), H5T_NATIVE_DOUBLE, path_);
  h5::write_row(m.cp_control.get(), {slot}, s.control.data(), s.control.size(), H5T_NATIVE_FLOAT, path_);
  if (m.num_clients > 0) {
    std::vector<std::uint8_t> has(m.num_clients, 0);
    for (std::size_t i = 0; i < s.clients.size(); ++i) {
      has.at(s.clients[i]) = 1;
      h5::write_row(m.cp_clients.get(), {slot, s.clients[i]}, s.client_state.data() + i * m.num_params, m.num_params,
                    H5T_NATIVE_FLOAT, path_);
    }
    h5::write_row(m.cp_has_state.get(), {slot}, has.data(), has.size(), H5T_NATIVE_UINT8, path_);
  }
  m.flush(path_);  // the slot is complete on disk before the row that names it
  h5::CheckpointRow row{s.round, static_cast<std::uint32_t>(slot), s.sim_elapsed_seconds, s.elapsed_seconds,
                        static_cast<std::uint32_t>(s.clients.size())};
  m.checkpoints.append(&row, 1);
  m.flush(path_);
  m.last_slot = static_cast<int>(slot);
}

void Hdf5Sink::finish(std::span<const float> final_model) {
  Impl& m = *impl_;
  h5::write_row(m.final_model.get(), {}, final_model.data(), final_model.size(), H5T_NATIVE_FLOAT, path_);
  m.flush(path_);
  h5::write_attr_fixed(m.file.get(), "end_utc", utc_now_iso(), kUtcSize, path_);
  h5::write_attr_int(m.file.get(), "complete", 1, H5T_STD_I32LE, path_);
  m.flush(path_);
}

void Hdf5Sink::stopped(const std::string&, std::uint32_t) {
  h5::write_attr_fixed(impl_->file.get(), "end_utc", utc_now_iso(), kUtcSize, path_);
  impl_->flush(path_);
}

// What a resume reads, on a file opened read-write (the resume) or read-only
// (probe_resume): the objects, the latest checkpoint that made it to disk
// into `state`, and how many rows of /checkpoints lead up to it (a torn
// append reads as round 0 and is skipped).
std::uint64_t Hdf5Sink::read_resume_point(Impl& m, const std::string& path, CheckpointState& state) {
  const hid_t f = m.file.get();
  Handle version_attr(H5Aopen(f, "schema_version", H5P_DEFAULT), H5Aclose);
  int version = 0;
  if (!version_attr || H5Aread(version_attr.get(), H5T_NATIVE_INT, &version) < 0 || version != kSchemaVersion)
    throw InputError(fmt::format("--resume: {} has results schema {}, this fedhpc writes {}; it cannot be continued",
                                 path, version, kSchemaVersion));
  version_attr.reset();
  require_resume_objects(f, path);
  m.rounds = h5::Table::open(f, "rounds", h5::round_columns(), sizeof(RoundRecord), path);
  m.clients = h5::Table::open(f, "clients", h5::client_columns(), sizeof(ClientRecord), path);
  m.timings = h5::Table::open(f, "timings", h5::timing_columns(), sizeof(TimingRecord), path);
  m.checkpoints = h5::Table::open(f, "checkpoints", h5::checkpoint_columns(), sizeof(h5::CheckpointRow), path);
  auto open = [&](const char* name) { return Handle(check(H5Dopen2(f, name, H5P_DEFAULT), "open", path), H5Dclose); };
  m.final_model = open("model/final");
  m.cp_model = open("checkpoint/model");
  m.cp_server = open("checkpoint/server_state");
  m.cp_control = open("checkpoint/control");
  m.cp_clients = open("checkpoint/client_state");
  m.cp_has_state = open("checkpoint/client_has_state");
  auto length = [&](hid_t d) {
    Handle attr(H5Aopen(d, "length", H5P_DEFAULT), H5Aclose);
    long long n = 0;
    if (!attr || H5Aread(attr.get(), H5T_NATIVE_LLONG, &n) < 0) throw Error(fmt::format("{}: damaged /checkpoint", path));
    return static_cast<hsize_t>(n);
  };
  m.num_params = length(m.cp_model.get());
  m.server_size = length(m.cp_server.get());
  m.control_size = length(m.cp_control.get());
  m.num_clients = length(m.cp_has_state.get());

  state = CheckpointState{};
  std::vector<h5::CheckpointRow> rows(m.checkpoints.rows());
  Handle row_type = h5::checkpoints_type();
  m.checkpoints.read(rows.data(), 0, rows.size(), row_type.get());
  hsize_t kept_checkpoints = 0;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].round > 0 && rows[i].slot < 2) kept_checkpoints = i + 1;
  if (kept_checkpoints == 0) return 0;
  const h5::CheckpointRow& row = rows[kept_checkpoints - 1];
  const hsize_t slot = row.slot;
  state.round = row.round;
  state.sim_elapsed_seconds = row.sim_elapsed_seconds;
  state.elapsed_seconds = row.elapsed_seconds;
  state.model.resize(m.num_params);
  h5::read_row(m.cp_model.get(), {slot}, state.model.data(), m.num_params, H5T_NATIVE_FLOAT, path);
  state.server_state.resize(m.server_size);
  h5::read_row(m.cp_server.get(), {slot}, state.server_state.data(), m.server_size, H5T_NATIVE_DOUBLE, path);
  state.control.resize(m.control_size);
  h5::read_row(m.cp_control.get(), {slot}, state.control.data(), m.control_size, H5T_NATIVE_FLOAT, path);
  if (row.clients_with_state > 0) {
    std::vector<std::uint8_t> has(m.num_clients);
    h5::read_row(m.cp_has_state.get(), {slot}, has.data(), has.size(), H5T_NATIVE_UINT8, path);
    for (hsize_t c = 0; c < m.num_clients; ++c) {
      if (!has[c]) continue;
      state.clients.push_back(static_cast<std::uint32_t>(c));
      state.client_state.resize(state.clients.size() * m.num_params);
      h5::read_row(m.cp_clients.get(), {slot, c}, state.client_state.data() + (state.clients.size() - 1) * m.num_params,
                   m.num_params, H5T_NATIVE_FLOAT, path);
    }
  }
  m.last_slot = static_cast<int>(slot);
  return kept_checkpoints;
}

std::unique_ptr<Hdf5Sink> Hdf5Sink::reopen(const std::string& path, CheckpointState& state, const std::string& note) {
  h5::silence_errors();
  std::unique_ptr<Hdf5Sink> sink(new Hdf5Sink());
  sink->path_ = path;
  Impl& m = *sink->impl_;
  m.resumed = true;
  m.open_write_seconds_types();
  // A writer killed in SWMR mode leaves the superblock marked "open for
  // write"; clearing that mark (as h5clear does) is what makes the file
  // writable again; the writer lock says that no live run writes it.
  sink->lock_ = WriterLock::acquire(path, "--resume");
  Handle fapl = h5::swmr_file_access();
  hbool_t clear = 1;
  H5Pset(fapl.get(), "clear_status_flags", &clear);
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get());
  if (id < 0) throw InputError(fmt::format("--resume: cannot open {} for writing", path));
  m.file = Handle(id, H5Fclose);
  const hid_t f = id;
  m.checkpoints.truncate(read_resume_point(m, path, state));
  // Rows after the checkpoint belong to rounds that will run again.
  for (h5::Table* t : {&m.rounds, &m.clients, &m.timings}) t->truncate(rows_through(*t, state.round));

  std::string resumes = h5::read_attr_text(f, "resumes");
  h5::write_attr(f, "resumes", resumes + note + "\n", path);
  h5::write_attr_int(f, "complete", 0, H5T_STD_I32LE, path);
  m.start_live(path);
  return sink;
}

CheckpointState Hdf5Sink::probe_resume(const std::string& path) {
  h5::silence_errors();
  Hdf5Sink probe;
  Impl& m = *probe.impl_;
  {
    const h5::MetadataDeadline deadline(path);
    m.file = h5::open_for_reading(path);
  }
  if (!m.file) throw InputError(fmt::format("--resume: cannot open {}; it is not an HDF5 file fedhpc can read", path));
  CheckpointState state;
  (void)read_resume_point(m, path, state);
  for (h5::Table* t : {&m.rounds, &m.clients, &m.timings}) (void)rows_through(*t, state.round);
  return state;
}

std::string hdf5_version() {
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  return fmt::format("{}.{}.{}", maj, min, rel);
}

}  // namespace fedhpc
