#pragma once
// Internal to src/metrics (includes <hdf5.h> through hdf5_util.hpp): opening a
// results file that may be damaged, for the reader (report, --follow) and the
// resume's read-only probe alike.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "metrics/hdf5_util.hpp"

namespace fedhpc::h5 {

// A finished file opens normally; one that is being written (or whose writer
// was killed) only as a SWMR reader, which gives up on a metadata checksum
// after a few attempts instead of HDF5's default 100 with growing sleeps
// (minutes on a damaged file, found by fuzz_results). Invalid if it cannot.
Handle open_for_reading(const std::string& path);

// HDF5 1.10 can spin on the metadata of some damaged files (a vlen
// attribute whose global heap is corrupt: minutes of CPU, found by
// fuzz_results), and no HDF5 call can be interrupted. Opening a file and
// reading its attributes takes milliseconds whatever the file's size, so a
// process still inside that step after kMetadataSeconds ends: exit 2 with
// the file named, never a hang.
constexpr int kMetadataSeconds = 30;

class MetadataDeadline {
 public:
  explicit MetadataDeadline(const std::string& path);
  ~MetadataDeadline();
  MetadataDeadline(const MetadataDeadline&) = delete;
  MetadataDeadline& operator=(const MetadataDeadline&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace fedhpc::h5
