#include "metrics/results_reader.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/printable.hpp"
#include "metrics/hdf5_table.hpp"

namespace fedhpc {

using h5::check;
using h5::Handle;

namespace {

herr_t read_attr(hid_t loc, const char* name, const H5A_info_t*, void* data) {
  auto* out = static_cast<Results*>(data);
  Handle attr(H5Aopen(loc, name, H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls == H5T_STRING) {
    attr.reset();
    out->text[name] = h5::read_attr_text(loc, name);
  } else if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
    double v = 0;
    if (H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &v) >= 0) out->numbers[name] = v;
  }
  return 0;
}

// Every row of dataset `name`: empty when it is absent and optional; a
// required one that is absent, or any that cannot be read, names itself.
template <class T>
std::vector<T> read_rows(hid_t file, const char* name, hid_t mem_type, const std::string& path, bool required = false) {
  const auto damaged = [&](const char* what) {
    return InputError(fmt::format("{}: {} /{}; the file is damaged or was not written by fedhpc", path, what, name));
  };
  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) {
    if (required) throw damaged("has no");
    return {};
  }
  Handle dset(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose);
  if (!dset) throw damaged("cannot open");
  Handle space(H5Dget_space(dset.get()), H5Sclose);
  const hssize_t n = space ? H5Sget_simple_extent_npoints(space.get()) : -1;
  if (n < 0) throw damaged("cannot read the size of");
  std::vector<T> rows(static_cast<std::size_t>(n));
  if (!rows.empty() && H5Dread(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) < 0)
    throw damaged("cannot read");
  return rows;
}

// A finished file opens normally; one that is being written (or whose writer
// was killed) only as a SWMR reader.
// A SWMR reader retries a metadata read whose checksum fails (the writer may
// be mid-write) with growing sleeps, 100 times by default: minutes on a
// damaged file (found by fuzz_results). A few tries cover a live writer,
// whose every flush leaves consistent metadata.
constexpr unsigned kSwmrReadAttempts = 4;

Handle open_for_reading(const std::string& path) {
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (file) return file;
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_metadata_read_attempts(fapl.get(), kSwmrReadAttempts);
  return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fapl.get()), H5Fclose);
}

// HDF5 1.10 can spin on the metadata of some damaged files (a vlen
// attribute whose global heap is corrupt: minutes of CPU, found by
// fuzz_results), and no HDF5 call can be interrupted. Opening a file and
// reading its attributes takes milliseconds whatever the file's size, so a
// reader still there after kMetadataSeconds ends the process: exit 2 with
// the file named, never a hang.
constexpr int kMetadataSeconds = 30;

class MetadataDeadline {
 public:
  explicit MetadataDeadline(const std::string& path)
      : thread_([this, path] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (wake_.wait_for(lock, std::chrono::seconds(kMetadataSeconds), [this] { return done_; })) return;
          std::fprintf(stderr,
                       "fedhpc: error: %s: HDF5 has not finished reading the file's metadata after %d s; the file "
                       "is damaged\n",
                       path.c_str(), kMetadataSeconds);
          std::fflush(stderr);
          std::_Exit(kExitBadInput);
        }) {}
  ~MetadataDeadline() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  MetadataDeadline(const MetadataDeadline&) = delete;
  MetadataDeadline& operator=(const MetadataDeadline&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

bool is_hdf5(const std::string& path) {
  h5::silence_errors();
  return H5Fis_hdf5(path.c_str()) > 0;
}

long count_rounds(const std::string& path) {
  h5::silence_errors();
  const MetadataDeadline deadline(path);
  Handle file = open_for_reading(path);
  if (!file) return -1;
  Handle dset(H5Dopen2(file.get(), "rounds", H5P_DEFAULT), H5Dclose);
  if (!dset) return -1;
  Handle space(H5Dget_space(dset.get()), H5Sclose);
  return static_cast<long>(H5Sget_simple_extent_npoints(space.get()));
}

std::string Results::shown(const std::string& key, const std::string& missing) const {
  const auto it = text.find(key);
  return it == text.end() ? missing : terminal_safe(it->second, 1000);
}

Results read_results(const std::string& path, bool rounds_only) {
  h5::silence_errors();
  if (!std::filesystem::exists(path)) throw InputError(fmt::format("{}: no such results file", path));
  if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(fmt::format("{}: not an HDF5 file", path));
  Results r;
  Handle file;
  {
    const MetadataDeadline deadline(path);
    file = open_for_reading(path);
    if (!file) throw InputError(fmt::format("{}: cannot open the HDF5 file", path));
    hsize_t idx = 0;
    H5Aiterate2(file.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, read_attr, &r);
  }
  if (!r.numbers.count("schema_version"))
    throw InputError(fmt::format("{}: not a fedhpc results file (no schema_version attribute)", path));
  r.complete = r.numbers.count("complete") && r.numbers.at("complete") == 1;
  r.rounds = read_rows<RoundRecord>(file.get(), "rounds", h5::rounds_type().get(), path, /*required=*/true);
  if (rounds_only) return r;
  r.clients = read_rows<ClientRecord>(file.get(), "clients", h5::clients_type().get(), path);
  r.timings = read_rows<TimingRecord>(file.get(), "timings", h5::timings_type().get(), path);
  for (const auto& row : read_rows<h5::CheckpointRow>(file.get(), "checkpoints", h5::checkpoints_type().get(), path))
    if (row.round > 0) r.checkpoint_rounds.push_back(row.round);
  if (r.complete) r.final_model = read_rows<float>(file.get(), "model/final", H5T_NATIVE_FLOAT, path, true);
  if (H5Lexists(file.get(), "partition", H5P_DEFAULT) > 0)
    r.partition_sizes = read_rows<std::int64_t>(file.get(), "partition/num_samples", H5T_NATIVE_INT64, path);
  return r;
}

}  // namespace fedhpc
