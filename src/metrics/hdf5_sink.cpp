#include "metrics/hdf5_sink.hpp"

#include <filesystem>

#include "metrics/hdf5_util.hpp"
#include "metrics/timer.hpp"

namespace fedhpc {

using h5::check;
using h5::Handle;

namespace {

constexpr hsize_t kChunkRows = 512;
// 2: server_lr, update_norm, clients_aggregated, /clients weight
// 3: the virtual clock: /rounds counts per status and simulated seconds;
//    /clients one row per selected client with status and simulated seconds
constexpr int kSchemaVersion = 3;

// An extendible 1-D dataset of compound rows, appended to in place.
class Table {
 public:
  Table() = default;
  Table(hid_t parent, const char* name, Handle type, const std::string& path) : type_(std::move(type)), path_(path) {
    hsize_t dims[1] = {0}, maxdims[1] = {H5S_UNLIMITED}, chunk[1] = {kChunkRows};
    Handle space(H5Screate_simple(1, dims, maxdims), H5Sclose);
    Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    check(H5Pset_chunk(dcpl.get(), 1, chunk), "set chunking", path_);
    Handle packed(H5Tcopy(type_.get()), H5Tclose);
    H5Tpack(packed.get());  // no padding bytes in the file
    dset_ = Handle(check(H5Dcreate2(parent, name, packed.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                         "create a dataset", path_),
                   H5Dclose);
  }

  // Appends rows; returns the index of the first one.
  hsize_t append(const void* rows, hsize_t count, hid_t mem_type = H5I_INVALID_HID) {
    const hsize_t first = rows_;
    if (count == 0) return first;
    hsize_t new_size[1] = {rows_ + count};
    check(H5Dset_extent(dset_.get(), new_size), "extend a dataset", path_);
    write(rows, first, count, mem_type < 0 ? type_.get() : mem_type);
    rows_ += count;
    return first;
  }

  void write(const void* rows, hsize_t first, hsize_t count, hid_t mem_type) {
    Handle file_space(H5Dget_space(dset_.get()), H5Sclose);
    hsize_t start[1] = {first}, n[1] = {count};
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, n, nullptr), "select rows", path_);
    Handle mem_space(H5Screate_simple(1, n, nullptr), H5Sclose);
    check(H5Dwrite(dset_.get(), mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, rows), "write rows", path_);
  }

  hid_t id() const { return dset_.get(); }

 private:
  Handle type_, dset_;
  hsize_t rows_ = 0;
  std::string path_;
};

void write_attr(hid_t obj, const char* name, const std::string& value, const std::string& path) {
  Handle type = h5::string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr(check(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), "create an attribute", path),
              H5Aclose);
  const char* p = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &p), "write an attribute", path);
}

template <class T>
void write_attr_num(hid_t obj, const char* name, T value, hid_t type, const std::string& path) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr;
  if (H5Aexists(obj, name) > 0)
    attr = Handle(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  else
    attr = Handle(check(H5Acreate2(obj, name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT), "create an attribute", path),
                  H5Aclose);
  check(H5Awrite(attr.get(), type, &value), "write an attribute", path);
}

template <class T>
void write_array(hid_t parent, const char* name, const T* data, std::initializer_list<hsize_t> shape, hid_t mem_type,
                 hid_t file_type, const std::string& path) {
  std::vector<hsize_t> dims(shape);
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  Handle dset(check(H5Dcreate2(parent, name, file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    "create a dataset", path),
              H5Dclose);
  check(H5Dwrite(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write a dataset", path);
}

}  // namespace

struct Hdf5Sink::Impl {
  Handle file;
  Table rounds, clients;
  Handle write_seconds_type;  // memory type selecting only RoundRecord::write_seconds
};

Hdf5Sink::Hdf5Sink(const std::string& path, bool overwrite) : impl_(std::make_unique<Impl>()), path_(path) {
  h5::silence_errors();
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) throw InputError(fmt::format("output.file: cannot create the folder {}: {}", parent.string(), ec.message()));
  const hid_t id = H5Fcreate(path.c_str(), overwrite ? H5F_ACC_TRUNC : H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0)
    throw InputError(fmt::format("output.file: cannot create {} (it exists, or its folder is not writable)", path));
  impl_->file = Handle(id, H5Fclose);
  impl_->rounds = Table(id, "rounds", h5::rounds_type(), path);
  impl_->clients = Table(id, "clients", h5::clients_type(), path);
  impl_->write_seconds_type = Handle(H5Tcreate(H5T_COMPOUND, sizeof(double)), H5Tclose);
  H5Tinsert(impl_->write_seconds_type.get(), "write_seconds", 0, H5T_NATIVE_DOUBLE);
}

Hdf5Sink::~Hdf5Sink() = default;

void Hdf5Sink::context(const RunContext& c) {
  const hid_t f = impl_->file.get();
  write_attr_num(f, "schema_version", kSchemaVersion, H5T_NATIVE_INT, path_);
  write_attr(f, "name", c.name, path_);
  write_attr(f, "scenario_file", c.scenario_file, path_);
  write_attr(f, "config_yaml", c.config_yaml, path_);
  write_attr(f, "raw_yaml", c.raw_yaml, path_);
  write_attr(f, "cli_overrides", c.cli_overrides, path_);
  write_attr_num(f, "seed", c.seed, H5T_NATIVE_UINT64, path_);
  write_attr_num(f, "n_ranks", c.num_ranks, H5T_NATIVE_INT, path_);
  write_attr_num(f, "n_trainers", c.num_trainers, H5T_NATIVE_INT, path_);
  write_attr_num(f, "n_params", c.num_params, H5T_NATIVE_INT64, path_);
  write_attr_num(f, "sim_sample_seconds", c.sim_sample_seconds, H5T_NATIVE_DOUBLE, path_);
  write_attr(f, "hosts", c.hosts, path_);
  write_attr(f, "device", c.device, path_);
  write_attr(f, "fedhpc_version", c.fedhpc_version, path_);
  write_attr(f, "git_sha", c.git_sha, path_);
  write_attr(f, "torch_version", c.torch_version, path_);
  write_attr(f, "mpi_version", c.mpi_version, path_);
  write_attr(f, "hdf5_version", c.hdf5_version, path_);
  write_attr(f, "strategy", c.strategy, path_);
  write_attr(f, "start_utc", c.start_utc, path_);
  write_attr(f, "slurm_job_id", c.slurm_job_id, path_);
  write_attr_num(f, "complete", 0, H5T_NATIVE_INT, path_);
  write_attr(impl_->rounds.id(), "units",
             "seconds for *_seconds; bytes for bytes_reduced; test_* are NaN on rounds without evaluation; "
             "phase seconds are the maximum over ranks; update_norm is the L2 norm of the aggregate (model units); "
             "sim_* are simulated seconds of the virtual clock (scenario: cost model), never wall time",
             path_);
  write_attr(impl_->clients.id(), "status",
             "0 completed, 1 partial (worked until the deadline), 2 dropped (failed part-way), 3 late (missed the "
             "deadline or the over-committed cut), 4 unavailable (its group was in an outage)",
             path_);
  H5Fflush(f, H5F_SCOPE_GLOBAL);
}

void Hdf5Sink::partition(const PartitionSummary& s) {
  Handle group(check(H5Gcreate2(impl_->file.get(), "partition", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                     "create /partition", path_),
               H5Gclose);
  const auto n = static_cast<hsize_t>(s.num_clients);
  write_array(group.get(), "num_samples", s.num_samples.data(), {n}, H5T_NATIVE_INT64, H5T_STD_I64LE, path_);
  write_array(group.get(), "class_counts", s.class_counts.data(), {n, static_cast<hsize_t>(s.num_classes)},
              H5T_NATIVE_INT64, H5T_STD_I64LE, path_);
  H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL);
}

void Hdf5Sink::round(const RoundRecord& record, std::span<const ClientRecord> clients) {
  Stopwatch watch;
  impl_->clients.append(clients.data(), clients.size());
  const hsize_t row = impl_->rounds.append(&record, 1);
  check(H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL), "flush", path_);
  // The row is on disk before its own write time is known; patch that field.
  const double seconds = watch.seconds();
  impl_->rounds.write(&seconds, row, 1, impl_->write_seconds_type.get());
}

void Hdf5Sink::finish(std::span<const float> final_model) {
  Handle group(check(H5Gcreate2(impl_->file.get(), "model", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                     "create /model", path_),
               H5Gclose);
  write_array(group.get(), "final", final_model.data(), {static_cast<hsize_t>(final_model.size())}, H5T_NATIVE_FLOAT,
              H5T_IEEE_F32LE, path_);
  write_attr(group.get(), "layout", "parameters then buffers, each in registration order, float32", path_);
  write_attr_num(impl_->file.get(), "complete", 1, H5T_NATIVE_INT, path_);
  check(H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL), "flush", path_);
}

std::string hdf5_version() {
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  return fmt::format("{}.{}.{}", maj, min, rel);
}

}  // namespace fedhpc
