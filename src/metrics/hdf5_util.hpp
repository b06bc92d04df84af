#pragma once
// Internal to src/metrics: RAII handles and the compound types shared by the
// results writer and reader. Includes <hdf5.h>, so never include it from a
// header outside src/metrics.
#include <hdf5.h>

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "metrics/records.hpp"

namespace fedhpc::h5 {

// Owns one hid_t and closes it with the matching H5*close.
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), close_(o.close_) {}
  Handle& operator=(Handle&& o) noexcept {
    reset();
    id_ = std::exchange(o.id_, H5I_INVALID_HID);
    close_ = o.close_;
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }
  void reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  herr_t (*close_)(hid_t) = nullptr;
};

// Checks an HDF5 return value; HDF5's own error stack printing is disabled,
// so this is where a failure gets its words.
template <class T>
T check(T rc, const char* what, const std::string& path) {
  if (rc < 0) throw Error(fmt::format("{}: HDF5 failed to {}", path, what));
  return rc;
}

// A row of /checkpoints: which slot of /checkpoint holds the state after `round`.
struct CheckpointRow {
  std::uint32_t round = 0;
  std::uint32_t slot = 0;
  double sim_elapsed_seconds = 0;
  double elapsed_seconds = 0;
  std::uint32_t clients_with_state = 0;
};

struct Column {
  const char* name;
  std::size_t offset;
  hid_t type;
  const char* unit;
};

std::vector<Column> round_columns();
std::vector<Column> client_columns();
std::vector<Column> timing_columns();
std::vector<Column> checkpoint_columns();

Handle compound_type(const std::vector<Column>& columns, std::size_t row_size);
Handle rounds_type();       // compound of RoundRecord, native layout
Handle clients_type();      // compound of ClientRecord, native layout
Handle timings_type();      // compound of TimingRecord, native layout
Handle checkpoints_type();  // compound of CheckpointRow, native layout
// A memory type that reads or writes one field of a record (at offset 0 of a
// buffer of `size` bytes per element).
Handle field_type(const char* name, hid_t type, std::size_t size);
Handle string_type();       // variable-length UTF-8 string
void silence_errors();
// File access with the latest format, which SWMR (live reading) needs.
Handle swmr_file_access();

}  // namespace fedhpc::h5
