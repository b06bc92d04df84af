#pragma once
// Internal to src/metrics: RAII handles and the compound types shared by the
// results writer and reader. Includes <hdf5.h>, so never include it from a
// header outside src/metrics.
#include <hdf5.h>

#include <string>
#include <utility>

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

Handle rounds_type();   // compound of RoundRecord, native layout
Handle clients_type();  // compound of ClientRecord, native layout
Handle string_type();   // variable-length UTF-8 string
void silence_errors();

}  // namespace fedhpc::h5
