#include "metrics/guarded_open.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace fedhpc::h5 {

namespace {
// A live writer's every flush leaves consistent metadata: a few tries cover it.
constexpr unsigned kSwmrReadAttempts = 4;
}  // namespace

Handle open_for_reading(const std::string& path) {
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (file) return file;
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_metadata_read_attempts(fapl.get(), kSwmrReadAttempts);
  return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fapl.get()), H5Fclose);
}

MetadataDeadline::MetadataDeadline(const std::string& path)
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

MetadataDeadline::~MetadataDeadline() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace fedhpc::h5
