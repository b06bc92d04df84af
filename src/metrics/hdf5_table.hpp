#pragma once
// Internal to src/metrics: the building blocks of the results file. An
// appendable table of compound rows, fixed-shape arrays, and attributes.
// Includes <hdf5.h>, so never include it from a header outside src/metrics.
#include <initializer_list>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "metrics/hdf5_util.hpp"

namespace fedhpc::h5 {

// An extendible 1-D dataset of compound rows (chunked, compressed), appended
// to in place. The `units` attribute lists each column's unit in order.
class Table {
 public:
  Table() = default;
  // Creates the dataset.
  Table(hid_t parent, const char* name, const std::vector<Column>& columns, std::size_t row_size,
        const std::string& path);
  // Opens an existing one; its rows so far are kept.
  static Table open(hid_t parent, const char* name, const std::vector<Column>& columns, std::size_t row_size,
                    const std::string& path);

  // Appends rows; returns the index of the first one.
  hsize_t append(const void* rows, hsize_t count);
  // Overwrites `count` rows from `first` with `mem_type` (which may select a
  // subset of the columns).
  void write(const void* rows, hsize_t first, hsize_t count, hid_t mem_type);
  // Reads `count` rows from `first` with `mem_type`.
  void read(void* rows, hsize_t first, hsize_t count, hid_t mem_type) const;
  // Keeps the first `rows` rows.
  void truncate(hsize_t rows);

  hsize_t rows() const { return rows_; }
  hid_t id() const { return dset_.get(); }

 private:
  Handle type_, dset_;
  hsize_t rows_ = 0;
  std::string path_;
};

// A new fixed-shape, chunked dataset; each chunk is one row (the leading
// indices fixed), so a checkpoint slot or one client's state is one chunk.
Handle create_array(hid_t parent, const char* name, hid_t file_type, const std::vector<hsize_t>& shape,
                    const std::string& path);
// Writes or reads the row at `index` (all leading indices) of an array.
void write_row(hid_t dset, const std::vector<hsize_t>& index, const void* data, hsize_t count, hid_t mem_type,
               const std::string& path);
void read_row(hid_t dset, const std::vector<hsize_t>& index, void* data, hsize_t count, hid_t mem_type,
              const std::string& path);
// A whole 1-D or 2-D dataset, written at once.
void write_array(hid_t parent, const char* name, const void* data, std::initializer_list<hsize_t> shape,
                 hid_t mem_type, hid_t file_type, const std::string& path);

// Attributes: created, or overwritten in place when they exist.
void write_attr(hid_t obj, const char* name, const std::string& value, const std::string& path);
void write_attr(hid_t obj, const char* name, const std::vector<std::string>& values, const std::string& path);
void write_attr_int(hid_t obj, const char* name, long long value, hid_t file_type, const std::string& path);
void write_attr_double(hid_t obj, const char* name, double value, const std::string& path);
// A fixed-size string attribute that can be rewritten while the file is live
// (SWMR forbids new objects, not new values).
void write_attr_fixed(hid_t obj, const char* name, const std::string& value, std::size_t size,
                      const std::string& path);
std::string read_attr_text(hid_t obj, const char* name);

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

}  // namespace fedhpc::h5
